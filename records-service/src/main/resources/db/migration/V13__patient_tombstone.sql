-- A deleted source patient (tessera.patient.deleted.v1) stays as a tombstone with the deletion's version, so an
-- older event arriving late cannot bring it back; it leaves searches, chains, $everything, $export and its
-- enterprise identity. The organisation's clinical records about the person are kept.
ALTER TABLE patient_projection ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE patient_identity ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false;
