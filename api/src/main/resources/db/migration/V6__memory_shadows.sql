-- Memory shadows: a migration held in pre-copy until the handover executes, and when the VM was
-- first seen running on the target (the handover's interruption ends there). Portable SQL.
ALTER TABLE vm_migration ADD COLUMN held BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE vm_migration ADD COLUMN live_at TIMESTAMP;
