-- Mm4 software images, their copies on edge hosts, and the SSH address of hosts that receive
-- images over SFTP. Portable SQL: H2 and PostgreSQL.
CREATE TABLE software_image (
    image_id           VARCHAR(128)   NOT NULL PRIMARY KEY,
    name               VARCHAR(128)   NOT NULL,
    provider           VARCHAR(128),
    version            VARCHAR(128),
    checksum_algorithm VARCHAR(16),
    checksum_hash      VARCHAR(64),
    container_format   VARCHAR(16)    NOT NULL,
    disk_format        VARCHAR(16)    NOT NULL,
    created_at         TIMESTAMP      NOT NULL,
    updated_at         TIMESTAMP      NOT NULL,
    min_disk_gib       INTEGER        NOT NULL,
    min_ram_mib        INTEGER        NOT NULL,
    size_bytes         BIGINT,
    virtual_size_bytes BIGINT,
    status             VARCHAR(16)    NOT NULL,
    status_reason      VARCHAR(2000),
    kernel_image_id    VARCHAR(128),
    ramdisk_image_id   VARCHAR(128),
    source_uri         VARCHAR(2048),
    user_metadata      VARCHAR(100000) NOT NULL  -- JSON object
);

CREATE INDEX software_image_status ON software_image (status);

CREATE TABLE image_location (
    image_id        VARCHAR(128)  NOT NULL REFERENCES software_image (image_id) ON DELETE CASCADE,
    host_id         VARCHAR(63)   NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    transfer_method VARCHAR(32),
    bytes_copied    BIGINT        NOT NULL,
    total_bytes     BIGINT        NOT NULL,
    error           VARCHAR(2000),
    updated_at      TIMESTAMP     NOT NULL,
    PRIMARY KEY (image_id, host_id)
);

ALTER TABLE edge_host ADD COLUMN ssh_uri VARCHAR(300);
