-- NymGateway.Orleans: replay protection on the embedded SQLite database. Idempotent.

-- The replay tags of the packets whose messages were stored, kept for [replay] window: a packet
-- whose tag is here is a replay. Written in the transaction that stores the message.
CREATE TABLE IF NOT EXISTS gateway_replay_tags (
    tag          BLOB    NOT NULL PRIMARY KEY,     -- 32 bytes, derived from the packet's Sphinx shared secret
    delivery_id  BLOB    NOT NULL,                 -- the delivery that stored it, so that delivery's retry is no replay
    seen_at      INTEGER NOT NULL                  -- unix milliseconds, for the window
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS gateway_replay_tags_by_age ON gateway_replay_tags (seen_at);
