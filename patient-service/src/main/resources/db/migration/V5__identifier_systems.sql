-- PIXm tells an unknown identifier domain (assigning authority) from an unknown patient: whether any record
-- carries an identifier of a system is a lookup on this index.
CREATE INDEX patient_identifier_system ON patient_identifier (system);
