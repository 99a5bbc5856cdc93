-- Mm4 notification subscriptions (IFA 005 Subscribe). Portable SQL: H2 and PostgreSQL.
-- Delivery state (queues, counters) is kept in memory only; a subscription survives a restart.
CREATE TABLE notification_subscription (
    subscription_id    VARCHAR(36)   NOT NULL PRIMARY KEY,
    callback_uri       VARCHAR(2048) NOT NULL,
    notification_types VARCHAR(8000),            -- JSON array of types; NULL = every type
    created_at         TIMESTAMP     NOT NULL
);
