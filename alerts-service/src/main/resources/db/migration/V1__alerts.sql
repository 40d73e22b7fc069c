-- Flags (FHIR Flag) raised by the rules. One flag per rule and source record version: a redelivered or
-- replayed event can never raise the same warning twice.
CREATE TABLE flag (
    id             UUID        PRIMARY KEY,
    organization   TEXT        NOT NULL,
    patient_id     TEXT        NOT NULL,
    rule           TEXT        NOT NULL,
    source_record  TEXT        NOT NULL,
    status         TEXT        NOT NULL,
    resource       JSONB       NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (rule, source_record)
);
CREATE INDEX flag_patient ON flag (patient_id, organization);
