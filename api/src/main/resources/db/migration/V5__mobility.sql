-- Mobility: the users a VM follows and its relocation policy; handoffs (shadow preparation ahead
-- of a radio handover). Portable SQL: H2 and PostgreSQL.
ALTER TABLE virtual_compute ADD COLUMN ue_ids VARCHAR(4000) DEFAULT '[]' NOT NULL;  -- JSON array
ALTER TABLE virtual_compute ADD COLUMN relocatable BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE virtual_compute ADD COLUMN max_downtime_ms BIGINT DEFAULT 300 NOT NULL;

CREATE TABLE handoff (
    handoff_id  VARCHAR(36)     NOT NULL PRIMARY KEY,
    compute_id  VARCHAR(36)     NOT NULL,
    state       VARCHAR(16)     NOT NULL,
    expires_at  TIMESTAMP       NOT NULL,
    created_at  TIMESTAMP       NOT NULL,
    document    VARCHAR(100000) NOT NULL  -- the whole handoff as JSON (shadows, timeline)
);

CREATE INDEX handoff_compute ON handoff (compute_id);
CREATE INDEX handoff_state ON handoff (state);
