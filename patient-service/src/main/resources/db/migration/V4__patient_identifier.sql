-- Identifier lookups (conditional create, the one-person-per-identifier rule, PIXm, search) by a btree on the
-- value: the GIN containment index on the whole resource had to intersect the posting list of the identifier's
-- system (every record of that organisation) and took milliseconds that grew with the table.
CREATE TABLE patient_identifier (
    patient_id UUID NOT NULL REFERENCES patient (id),
    system     TEXT NOT NULL,   -- '' when the identifier has none
    value      TEXT NOT NULL,
    PRIMARY KEY (patient_id, system, value)
);
CREATE INDEX patient_identifier_lookup ON patient_identifier (value, system);
INSERT INTO patient_identifier (patient_id, system, value)
SELECT DISTINCT p.id, coalesce(i ->> 'system', ''), i ->> 'value'
FROM patient p, jsonb_array_elements(p.resource -> 'identifier') i
WHERE i ->> 'value' IS NOT NULL;
