-- The matching model in force: trained on the stored population (EM) or set by an operator. The newest row is in
-- force on every replica (each checks before an identity decision); older rows stay as the record of which model
-- decided when. No row, or a 'defaults' row: the built-in values.
CREATE TABLE match_model (
    version    SERIAL      PRIMARY KEY,
    source     TEXT        NOT NULL,   -- trained | configured | defaults
    parameters JSONB,                  -- MatchModel.Parameters; null for the defaults
    summary    TEXT,                   -- how it was trained (sessions, pairs), or why it was set
    actor      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
