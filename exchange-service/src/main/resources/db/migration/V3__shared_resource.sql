-- What organisations record about sharing a patient's records: privacy Consents and referral Tasks. The
-- current version is in shared_resource, every version in shared_resource_version (the history of who was allowed
-- what is part of the accounting of disclosures).
CREATE TABLE shared_resource (
    resource_type TEXT        NOT NULL,
    id            UUID        NOT NULL,
    version       INT         NOT NULL,
    -- the custodian: the organisation that recorded it, whose records it shares
    organization  TEXT        NOT NULL,
    patient_id    TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    -- the other organisations it names (a consent's actors, a task's owner): they may read it
    participants  TEXT[]      NOT NULL,
    deleted       BOOLEAN     NOT NULL DEFAULT false,
    last_updated  TIMESTAMPTZ NOT NULL,
    resource      JSONB       NOT NULL,
    PRIMARY KEY (resource_type, id)
);
CREATE INDEX shared_resource_by_custodian_patient ON shared_resource (organization, patient_id);
CREATE INDEX shared_resource_by_participant ON shared_resource USING gin (participants);

CREATE TABLE shared_resource_version (
    resource_type TEXT        NOT NULL,
    id            UUID        NOT NULL,
    version       INT         NOT NULL,
    deleted       BOOLEAN     NOT NULL,
    last_updated  TIMESTAMPTZ NOT NULL,
    resource      JSONB       NOT NULL,
    PRIMARY KEY (resource_type, id, version)
);
