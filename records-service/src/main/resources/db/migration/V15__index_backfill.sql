-- Index work done once over the records stored before it existed (PairedCompositeBackfill): a row per job, written
-- when the job has finished, so no replica runs it again.
CREATE TABLE index_backfill (
    name        TEXT        PRIMARY KEY,
    finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    records     BIGINT      NOT NULL
);
