-- Shared by every service (libs/events): the transactional outbox and the idempotent-consumer ledger.

-- An event written in the same transaction as the state change it announces. The relay publishes
-- unsent rows in seq order and stamps sent_at; rows are never published from inside a request.
CREATE TABLE outbox_event (
    seq            BIGSERIAL PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    topic          TEXT        NOT NULL,
    event_key      TEXT        NOT NULL,
    event_type     TEXT        NOT NULL,
    envelope       TEXT        NOT NULL,
    correlation_id TEXT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at        TIMESTAMPTZ
);
CREATE INDEX outbox_event_unsent ON outbox_event (seq) WHERE sent_at IS NULL;

-- One row per event a consumer has applied, written in the same transaction as the effect:
-- a redelivered event finds its row and is skipped.
CREATE TABLE processed_event (
    consumer     TEXT        NOT NULL,
    event_id     UUID        NOT NULL,
    event_type   TEXT        NOT NULL,
    processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
