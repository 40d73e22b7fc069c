-- A record's JSON is written once per version, as text.
--
-- record_version keeps the versions a newer one replaced; the current version lives in record alone (reads of a
-- version or a history look in both). A create, the bulk of every load, used to write the same JSON to both tables.
--
-- The JSON is stored as the text records-service encoded, not as jsonb: nothing queries inside it (searches use
-- the search_* tables), and jsonb made PostgreSQL parse every version on write (8 times the cost of a text row for
-- Synthea's resources) and print it again on every read.
DELETE FROM record_version v USING record r
 WHERE v.resource_type = r.resource_type AND v.id = r.id AND v.version = r.version;
ALTER TABLE record ALTER COLUMN resource TYPE text USING resource::text;
ALTER TABLE record_version ALTER COLUMN resource TYPE text USING resource::text;
