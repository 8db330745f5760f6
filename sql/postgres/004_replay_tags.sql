-- NymGateway.Orleans: replay protection on PostgreSQL. Idempotent.

-- The replay tags of the packets whose messages were stored, kept for [replay] window: a packet
-- whose tag is here is a replay. Written in the statement that stores the message.
CREATE TABLE IF NOT EXISTS gateway_replay_tags (
    tag          BYTEA  NOT NULL PRIMARY KEY,      -- 32 bytes, derived from the packet's Sphinx shared secret
    delivery_id  UUID   NOT NULL,                  -- the delivery that stored it, so that delivery's retry is no replay
    seen_at      BIGINT NOT NULL                   -- unix milliseconds, for the window
);

-- Rows arrive in time order, so a BRIN index serves the sweep at almost no cost per insert.
CREATE INDEX IF NOT EXISTS gateway_replay_tags_by_age ON gateway_replay_tags USING brin (seen_at);
