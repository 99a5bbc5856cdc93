-- Edge hosts the VIM places VMs on, and the VMs it created. Portable SQL: H2 and PostgreSQL.
CREATE TABLE edge_host (
    host_id   VARCHAR(63)   NOT NULL PRIMARY KEY,
    driver    VARCHAR(32)   NOT NULL,
    uri       VARCHAR(1024) NOT NULL,
    zone_id   VARCHAR(64)   NOT NULL,
    cells     VARCHAR(8000) NOT NULL,  -- JSON array of cell ids
    state     VARCHAR(16)   NOT NULL
);

CREATE TABLE virtual_compute (
    compute_id         VARCHAR(36)    NOT NULL PRIMARY KEY,
    compute_name       VARCHAR(63)    NOT NULL,
    virtual_cpu        INTEGER        NOT NULL,
    virtual_memory_mib BIGINT         NOT NULL,
    disk_gib           BIGINT         NOT NULL,
    image_id           VARCHAR(128)   NOT NULL,
    host_id            VARCHAR(63)    NOT NULL REFERENCES edge_host (host_id),
    zone_id            VARCHAR(64)    NOT NULL,
    operational_state  VARCHAR(16)    NOT NULL,
    metadata           VARCHAR(100000) NOT NULL, -- JSON object
    created_at         TIMESTAMP      NOT NULL
);

CREATE INDEX virtual_compute_host ON virtual_compute (host_id);
