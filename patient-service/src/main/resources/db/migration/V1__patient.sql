-- Source Patient records, one row per logical record (latest version), owned by one organisation.
CREATE TABLE patient (
    id              UUID        PRIMARY KEY,
    organization    TEXT        NOT NULL,
    enterprise_id   UUID        NOT NULL,
    version         INTEGER     NOT NULL,
    resource        JSONB       NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_updated    TIMESTAMPTZ NOT NULL
);
CREATE INDEX patient_enterprise ON patient (enterprise_id);
CREATE INDEX patient_organization ON patient (organization);

-- Every version ever stored (vread, _history).
CREATE TABLE patient_version (
    id           UUID        NOT NULL REFERENCES patient (id),
    version      INTEGER     NOT NULL,
    resource     JSONB       NOT NULL,
    last_updated TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, version)
);
