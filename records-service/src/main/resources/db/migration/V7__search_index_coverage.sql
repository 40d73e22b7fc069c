-- Search at scale (1,000,000+ Observations): every probe a search makes is answered from an index alone.
-- A search starts from its most selective condition (a patient's references, a code) and probes the others
-- per candidate record by (id, param); the sort by date reads the range from the same index.
DROP INDEX search_token_record;
CREATE INDEX search_token_record ON search_token (id, param) INCLUDE (system, code);
DROP INDEX search_date_record;
CREATE INDEX search_date_record ON search_date (id, param) INCLUDE (low, high);
DROP INDEX search_reference_record;
CREATE INDEX search_reference_record ON search_reference (id, param) INCLUDE (target_type, target_id);
DROP INDEX search_reference_target;
CREATE INDEX search_reference_target ON search_reference (target_id, param, resource_type) INCLUDE (id);
DROP INDEX search_token_code;
CREATE INDEX search_token_code ON search_token (resource_type, param, code, system) INCLUDE (id);

-- Bulk loads change these tables by millions of rows at a time; statistics that lag behind make the planner
-- scan instead of seek. Analyse after 1% of a table has changed, not autovacuum's default 10%
-- (records-service also analyses right after large Bundles: IndexStatistics).
ALTER TABLE record SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE search_token SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE search_string SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE search_date SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE search_number SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE search_reference SET (autovacuum_analyze_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.05);
