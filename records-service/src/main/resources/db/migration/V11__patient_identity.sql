-- Which enterprise identity each source patient belongs to, from tessera.patient.v1's registered, linked,
-- unlinked, merged and unmerged events. Kept apart from the projection because a link event can arrive before the
-- registration it follows (the key is the enterprise id, which a link changes): the highest link_version wins.
CREATE TABLE patient_identity (
    patient_id    TEXT    PRIMARY KEY,
    enterprise_id TEXT    NOT NULL,
    link_version  INTEGER NOT NULL
);
CREATE INDEX patient_identity_enterprise ON patient_identity (enterprise_id);
INSERT INTO patient_identity (patient_id, enterprise_id, link_version)
SELECT patient_id, enterprise_id, 1 FROM patient_projection;
