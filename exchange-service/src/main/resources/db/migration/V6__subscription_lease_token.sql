-- The claim a delivery worker holds: every later change it makes names it, so a worker that was overtaken (its lease
-- ran out, or the subscriber changed the subscription meanwhile) changes nothing.
ALTER TABLE subscription ADD COLUMN lease_token UUID;
