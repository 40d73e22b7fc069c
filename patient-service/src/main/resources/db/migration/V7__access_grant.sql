-- Access other organisations have to this service's Patient records under a consent or referral, from
-- tessera.exchange.v1 (the same tables as records-service's, kept by AccessGrantRows in libs/events).
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
CREATE INDEX access_grant_by_recipient ON access_grant (recipient);
