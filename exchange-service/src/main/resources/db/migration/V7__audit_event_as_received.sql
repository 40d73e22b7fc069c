-- An audit event is kept as the gateway sent it (its CloudEvents envelope) and turned into a FHIR AuditEvent when
-- read: every request at the gateway writes one row, and encoding each as FHIR took a third of exchange-service's
-- CPU under load, for rows that are mostly never read. Rows stored before keep their FHIR JSON in resource.
ALTER TABLE audit_event ADD COLUMN envelope TEXT;
ALTER TABLE audit_event ALTER COLUMN resource DROP NOT NULL;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_kept CHECK (resource IS NOT NULL OR envelope IS NOT NULL) NOT VALID;
