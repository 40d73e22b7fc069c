-- The access grants in force, kept in the same transaction as the Consent or Task that grants them (the same
-- tables records-service and patient-service keep from tessera.exchange.v1): subscription notifications about
-- another organisation's records go only where a grant lets the subscriber see them.
CREATE TABLE access_grant_version (
    grant_id TEXT    PRIMARY KEY,
    version  INTEGER NOT NULL
);
CREATE TABLE access_grant (
    grant_id       TEXT        NOT NULL,
    recipient      TEXT        NOT NULL,
    custodian      TEXT        NOT NULL,
    patient_id     TEXT        NOT NULL,
    resource_types TEXT[],
    valid_from     TIMESTAMPTZ,
    valid_to       TIMESTAMPTZ,
    PRIMARY KEY (grant_id, recipient)
);
CREATE INDEX access_grant_by_recipient ON access_grant (recipient, custodian, patient_id);
-- The Consents and Tasks recorded before these tables existed get their rows at start (AccessGrantBackfill).

-- Topic-based Subscriptions (FHIR R4 Subscriptions Backport IG): the current version in subscription, every version
-- in subscription_version. The columns besides the resource are what delivery and matching need without parsing it.
CREATE TABLE subscription (
    id                 UUID        PRIMARY KEY,
    version            INT         NOT NULL,
    -- the subscriber: the organisation of the token that created it; only it sees and changes it
    organization       TEXT        NOT NULL,
    -- requested (handshake pending), active, error (deliveries stopped), off (paused by the subscriber)
    status             TEXT        NOT NULL,
    topic              TEXT        NOT NULL,
    -- the filter criteria as written (Type?param=value&...), any of which a record must match; empty for all
    filters            TEXT[]      NOT NULL,
    endpoint           TEXT        NOT NULL,
    payload_content    TEXT        NOT NULL,
    headers            TEXT[]      NOT NULL,
    -- the FHIR base URL the subscriber used (the gateway's public address): notifications reference it
    fhir_base          TEXT        NOT NULL,
    -- notifications generated since the subscription started: the last event-number given out
    events_since_start BIGINT      NOT NULL DEFAULT 0,
    -- the most events one notification carries (backport-max-count, within the server's limit)
    max_count          INT         NOT NULL,
    -- consecutive failed deliveries, when the next attempt is due, and until when a delivery worker holds it
    failures           INT         NOT NULL DEFAULT 0,
    retry_at           TIMESTAMPTZ,
    lease_until        TIMESTAMPTZ,
    deleted            BOOLEAN     NOT NULL DEFAULT false,
    -- a subscription hears of the records committed after it was made, not of older events read late
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_updated       TIMESTAMPTZ NOT NULL,
    resource           TEXT        NOT NULL
);
CREATE INDEX subscription_by_organization ON subscription (organization, last_updated DESC);

CREATE TABLE subscription_version (
    id           UUID        NOT NULL,
    version      INT         NOT NULL,
    deleted      BOOLEAN     NOT NULL,
    last_updated TIMESTAMPTZ NOT NULL,
    resource     TEXT        NOT NULL,
    PRIMARY KEY (id, version)
);

-- Notifications waiting to be delivered, in event-number order per subscription; a row goes once its endpoint
-- accepted it. event_number 0 is the handshake. The REFERENCES keeps a row from outliving its subscription.
CREATE TABLE subscription_notification (
    subscription_id UUID        NOT NULL REFERENCES subscription (id) ON DELETE CASCADE,
    event_number    BIGINT      NOT NULL,
    focus           TEXT,
    -- the interaction that made the focus version: create, update or delete
    operation       TEXT,
    occurred_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (subscription_id, event_number)
);
