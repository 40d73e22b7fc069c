-- Heartbeats (backport-heartbeat-period): a subscription that asked for them gets a heartbeat notification when
-- nothing was sent to it for that many seconds, so its subscriber can tell a quiet topic from a broken channel.
ALTER TABLE subscription ADD COLUMN heartbeat_seconds INT;
ALTER TABLE subscription ADD COLUMN last_sent_at TIMESTAMPTZ;
