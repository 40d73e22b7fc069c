-- Bulk data export ($export): a job per kick-off, its ndjson files kept until they expire.
CREATE TABLE export_job (
    id           UUID        PRIMARY KEY,
    organization TEXT        NOT NULL,
    request      TEXT        NOT NULL,
    level        TEXT        NOT NULL,
    types        TEXT[]      NOT NULL,
    since        TIMESTAMPTZ,
    status       TEXT        NOT NULL,
    error        TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at TIMESTAMPTZ
);

CREATE TABLE export_file (
    job_id        UUID    NOT NULL REFERENCES export_job (id) ON DELETE CASCADE,
    resource_type TEXT    NOT NULL,
    resources     INTEGER NOT NULL,
    ndjson        TEXT    NOT NULL,
    PRIMARY KEY (job_id, resource_type)
);
