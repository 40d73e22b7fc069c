-- Joins from a reference to the record it points at use the record's primary key: the target id as a UUID
-- (null for ids that are not UUIDs, such as references to resources held elsewhere).
ALTER TABLE search_reference ADD COLUMN target_uuid UUID;
UPDATE search_reference SET target_uuid = target_id::uuid
    WHERE target_id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
CREATE INDEX search_reference_target_uuid ON search_reference (target_uuid) WHERE target_uuid IS NOT NULL;
