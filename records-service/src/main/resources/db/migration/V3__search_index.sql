-- Search index: the values of every standard search parameter of the current version of each record,
-- extracted with FHIRPath at write time (SearchIndexer). One table per kind of value; a record's rows are
-- replaced on every write and removed on delete.

CREATE TABLE search_token (
    resource_type TEXT NOT NULL,
    id            UUID NOT NULL,
    param         TEXT NOT NULL,
    system        TEXT,
    code          TEXT,
    text          TEXT
);
CREATE INDEX search_token_code ON search_token (resource_type, param, code, system);
CREATE INDEX search_token_record ON search_token (id);

CREATE TABLE search_string (
    resource_type TEXT NOT NULL,
    id            UUID NOT NULL,
    param         TEXT NOT NULL,
    normalized    TEXT NOT NULL,
    exact         TEXT NOT NULL
);
CREATE INDEX search_string_value ON search_string (resource_type, param, normalized text_pattern_ops);
CREATE INDEX search_string_record ON search_string (id);

CREATE TABLE search_date (
    resource_type TEXT        NOT NULL,
    id            UUID        NOT NULL,
    param         TEXT        NOT NULL,
    low           TIMESTAMPTZ NOT NULL,
    high          TIMESTAMPTZ NOT NULL
);
CREATE INDEX search_date_range ON search_date (resource_type, param, low, high);
CREATE INDEX search_date_record ON search_date (id);

CREATE TABLE search_number (
    resource_type TEXT    NOT NULL,
    id            UUID    NOT NULL,
    param         TEXT    NOT NULL,
    value         NUMERIC NOT NULL,
    system        TEXT,
    code          TEXT
);
CREATE INDEX search_number_value ON search_number (resource_type, param, code, value);
CREATE INDEX search_number_record ON search_number (id);

CREATE TABLE search_reference (
    resource_type TEXT NOT NULL,
    id            UUID NOT NULL,
    param         TEXT NOT NULL,
    target_type   TEXT NOT NULL,
    target_id     TEXT NOT NULL
);
CREATE INDEX search_reference_target ON search_reference (target_id, param, resource_type);
CREATE INDEX search_reference_record ON search_reference (id);

-- The result set of a search, kept so that its pages stay the same while data is being written.
CREATE TABLE search_result (
    search_id    UUID        PRIMARY KEY,
    organization TEXT        NOT NULL,
    query        TEXT        NOT NULL,
    ids          UUID[]      NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX search_result_age ON search_result (created_at);

-- Lists of a type in time order (the default sort) and in _lastUpdated order.
CREATE INDEX record_type_updated ON record (resource_type, organization, last_updated);
