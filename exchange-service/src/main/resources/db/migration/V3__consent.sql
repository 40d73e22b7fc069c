-- Privacy consents recorded by an organisation (the custodian of the records they share). The current version
-- is in consent, every version in consent_version (a consent's history is part of the accounting of disclosures).
CREATE TABLE consent (
    id           UUID        PRIMARY KEY,
    version      INT         NOT NULL,
    organization TEXT        NOT NULL,
    patient_id   TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    recipients   TEXT[]      NOT NULL,
    deleted      BOOLEAN     NOT NULL DEFAULT false,
    last_updated TIMESTAMPTZ NOT NULL,
    resource     JSONB       NOT NULL
);
CREATE INDEX consent_by_custodian_patient ON consent (organization, patient_id);
CREATE INDEX consent_by_recipient ON consent USING gin (recipients);

CREATE TABLE consent_version (
    id           UUID        NOT NULL,
    version      INT         NOT NULL,
    deleted      BOOLEAN     NOT NULL,
    last_updated TIMESTAMPTZ NOT NULL,
    resource     JSONB       NOT NULL,
    PRIMARY KEY (id, version)
);
