-- Organisations known to the exchange: the registry consent and referrals will point at.
CREATE TABLE organization_registry (
    organization TEXT        PRIMARY KEY,
    name         TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
