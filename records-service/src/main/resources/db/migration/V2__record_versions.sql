-- Versions remember whether they were a deletion (vread of a deleted version is 410 Gone), and the
-- type-level history reads versions by time.
ALTER TABLE record_version ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX record_version_by_time ON record_version (resource_type, last_updated);
