-- A search starts from its most selective condition and then probes each candidate record for the others by
-- (id, param). With the resource type and the compared values in the index, a probe never visits the table,
-- and the record's own visibility (organisation, deleted) and sort key come from an index as well: a patient's
-- blood-pressure search among 1,000,000 Observations reads a few hundred index pages and no heap page.
-- IF [NOT] EXISTS: large databases may have these built beforehand (CREATE INDEX CONCURRENTLY), outside Flyway.
CREATE INDEX IF NOT EXISTS search_token_probe ON search_token (id, param) INCLUDE (resource_type, system, code);
DROP INDEX IF EXISTS search_token_record;
CREATE INDEX IF NOT EXISTS search_date_probe ON search_date (id, param) INCLUDE (resource_type, low, high);
DROP INDEX IF EXISTS search_date_record;
CREATE INDEX IF NOT EXISTS search_reference_probe ON search_reference (id, param) INCLUDE (resource_type, target_type, target_id);
DROP INDEX IF EXISTS search_reference_record;
CREATE INDEX IF NOT EXISTS record_visible ON record (resource_type, id) INCLUDE (organization, deleted, last_updated);
