-- Every stored clinical/administrative resource: the latest version per (type, id).
CREATE TABLE record (
    resource_type TEXT        NOT NULL,
    id            UUID        NOT NULL,
    version       INTEGER     NOT NULL,
    organization  TEXT        NOT NULL,
    patient_id    TEXT,
    resource      JSONB       NOT NULL,
    last_updated  TIMESTAMPTZ NOT NULL,
    deleted       BOOLEAN     NOT NULL DEFAULT false,
    PRIMARY KEY (resource_type, id)
);
CREATE INDEX record_patient ON record (patient_id, resource_type);

-- Every version ever stored (vread, _history).
CREATE TABLE record_version (
    resource_type TEXT        NOT NULL,
    id            UUID        NOT NULL,
    version       INTEGER     NOT NULL,
    resource      JSONB       NOT NULL,
    last_updated  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (resource_type, id, version)
);

-- Patient identities known from tessera.patient.v1 (patient-service owns them).
CREATE TABLE patient_projection (
    patient_id    TEXT        PRIMARY KEY,
    enterprise_id TEXT        NOT NULL,
    organization  TEXT        NOT NULL,
    version       INTEGER     NOT NULL,
    resource      JSONB       NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX patient_projection_enterprise ON patient_projection (enterprise_id);
