-- A reference row is found by its target through one index, not two: by the target's UUID when the id is one
-- (every record and patient Tessera stores), by the id as text otherwise (references to resources held
-- elsewhere). Before, every row went into both the text index and the UUID index: a Synthea load writes five
-- references per record, so that was five index insertions per record for nothing. The UUID index now also
-- carries the parameter and type, which reverse lookups (_has, _revinclude) filter on.
-- IF [NOT] EXISTS: large databases may have these built beforehand (CREATE INDEX CONCURRENTLY), outside Flyway.
CREATE INDEX IF NOT EXISTS search_reference_target_record ON search_reference (target_uuid, param, resource_type)
    INCLUDE (id) WHERE target_uuid IS NOT NULL;
CREATE INDEX IF NOT EXISTS search_reference_target_other ON search_reference (target_id, param, resource_type)
    INCLUDE (id) WHERE target_uuid IS NULL;
DROP INDEX IF EXISTS search_reference_target;
DROP INDEX IF EXISTS search_reference_target_uuid;
