-- The master patient index: enterprise identities, every link ever made, the review queue, the pairs people
-- said are different, and merges (kept so they can be undone).

-- Every insert, update or link change of a source record takes the next number, so a replica's matching index
-- catches up with what other replicas wrote by reading the rows above the last number it saw.
CREATE SEQUENCE patient_change_seq;
ALTER TABLE patient ADD COLUMN link_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE patient ADD COLUMN change_seq BIGINT NOT NULL DEFAULT nextval('patient_change_seq');
CREATE INDEX patient_change ON patient (change_seq);

CREATE TABLE enterprise (
    id          UUID        PRIMARY KEY,
    golden      JSONB,                     -- null once no source record is linked to it
    version     INTEGER     NOT NULL,
    merged_into UUID        REFERENCES enterprise (id),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO enterprise (id, golden, version)
SELECT DISTINCT ON (enterprise_id) enterprise_id, resource, 1 FROM patient ORDER BY enterprise_id, last_updated DESC;

-- One row per link a source record ever had; the current one has the record's link_version.
CREATE TABLE patient_link (
    patient_id         UUID             NOT NULL REFERENCES patient (id),
    link_version       INTEGER          NOT NULL,
    enterprise_id      UUID             NOT NULL REFERENCES enterprise (id),
    reason             TEXT             NOT NULL,   -- new | auto | review | manual | merge | unmerge
    matched_patient_id UUID,                        -- the record whose comparison decided it
    probability        DOUBLE PRECISION,
    explanation        JSONB,                       -- the matcher's field-by-field comparison
    actor              TEXT             NOT NULL,   -- matcher, or the client/user who decided
    created_at         TIMESTAMPTZ      NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_id, link_version)
);
INSERT INTO patient_link (patient_id, link_version, enterprise_id, reason, actor)
SELECT id, 1, enterprise_id, 'new', 'migration' FROM patient;

CREATE TABLE match_review (
    id           UUID             PRIMARY KEY,
    patient_id   UUID             NOT NULL REFERENCES patient (id),
    candidate_id UUID             NOT NULL REFERENCES patient (id),
    probability  DOUBLE PRECISION NOT NULL,
    explanation  JSONB            NOT NULL,
    status       TEXT             NOT NULL DEFAULT 'open',   -- open | match | not-a-match | withdrawn
    decided_by   TEXT,
    decided_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CHECK (patient_id <> candidate_id)
);
-- One open task per pair, whichever way round.
CREATE UNIQUE INDEX match_review_open_pair
    ON match_review (LEAST(patient_id, candidate_id), GREATEST(patient_id, candidate_id)) WHERE status = 'open';
CREATE INDEX match_review_queue ON match_review (created_at) WHERE status = 'open';

-- Pairs a person decided are different people: never linked automatically again.
CREATE TABLE not_a_match (
    patient_a  UUID        NOT NULL REFERENCES patient (id),
    patient_b  UUID        NOT NULL REFERENCES patient (id),
    decided_by TEXT        NOT NULL,
    decided_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (patient_a, patient_b),
    CHECK (patient_a < patient_b)
);

CREATE TABLE identity_merge (
    id                UUID        PRIMARY KEY,
    source_enterprise UUID        NOT NULL REFERENCES enterprise (id),
    target_enterprise UUID        NOT NULL REFERENCES enterprise (id),
    moved             UUID[]      NOT NULL,   -- the source records that moved
    actor             TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    unmerged_at       TIMESTAMPTZ,
    unmerged_by       TEXT
);
CREATE INDEX identity_merge_source ON identity_merge (source_enterprise);
