-- The accounting of disclosures: one row per request the gateway answered (tessera.audit.v1), as a FHIR
-- AuditEvent plus the columns its searches use. Rows are only ever inserted.
CREATE TABLE audit_event (
    id             UUID        PRIMARY KEY,  -- the event's CloudEvents id, so a redelivery inserts nothing
    recorded       TIMESTAMPTZ NOT NULL,
    correlation_id TEXT,
    client_id      TEXT,
    organization   TEXT,
    patient_id     TEXT,
    action         TEXT        NOT NULL,
    interaction    TEXT        NOT NULL,
    outcome        TEXT        NOT NULL,
    resource       JSONB       NOT NULL
);
CREATE INDEX audit_event_recorded ON audit_event (recorded DESC);
CREATE INDEX audit_event_organization ON audit_event (organization, recorded DESC);
CREATE INDEX audit_event_patient ON audit_event (patient_id, recorded DESC) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_event_client ON audit_event (client_id, recorded DESC);
CREATE INDEX audit_event_correlation ON audit_event (correlation_id);
