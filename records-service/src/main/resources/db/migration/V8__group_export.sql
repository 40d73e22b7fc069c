-- Group/{id}/$export: the member patients a job exports, fixed when the job starts (null for system and
-- Patient level).
ALTER TABLE export_job ADD COLUMN patients TEXT[];
