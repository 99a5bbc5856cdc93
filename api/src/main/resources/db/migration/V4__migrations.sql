-- Mm6 migrations of VMs between hosts. Portable SQL: H2 and PostgreSQL.
CREATE TABLE vm_migration (
    migration_id       VARCHAR(36)   NOT NULL PRIMARY KEY,
    compute_id         VARCHAR(36)   NOT NULL,
    source_host_id     VARCHAR(63)   NOT NULL,
    target_host_id     VARCHAR(63)   NOT NULL,
    migration_type     VARCHAR(32)   NOT NULL,
    state              VARCHAR(16)   NOT NULL,
    max_downtime_ms    BIGINT        NOT NULL,
    bandwidth_mibps    BIGINT        NOT NULL,
    memory_total       BIGINT        NOT NULL,
    memory_processed   BIGINT        NOT NULL,
    memory_remaining   BIGINT        NOT NULL,
    iteration          BIGINT        NOT NULL,
    dirty_rate         BIGINT        NOT NULL,
    elapsed_ms         BIGINT        NOT NULL,
    downtime_ms        BIGINT,
    error              VARCHAR(2000),
    created_at         TIMESTAMP     NOT NULL,
    updated_at         TIMESTAMP     NOT NULL,
    finished_at        TIMESTAMP
);

CREATE INDEX vm_migration_compute ON vm_migration (compute_id);
CREATE INDEX vm_migration_state ON vm_migration (state);
