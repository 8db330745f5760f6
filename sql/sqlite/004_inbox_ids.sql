-- NymGateway.Orleans: message ids given by the inboxes, on the embedded SQLite database. Idempotent.

-- One counter of id blocks (2^20 ids each): an inbox reserves a block and numbers its messages
-- from it, so ids increase per inbox and messages can be pushed before they are written.
-- Seeded above the ids the database gave before.
CREATE TABLE IF NOT EXISTS gateway_id_blocks (
    singleton   INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    next_block  INTEGER NOT NULL
);

INSERT INTO gateway_id_blocks (singleton, next_block)
SELECT 1, COALESCE(MAX(id), 0) / 1048576 + 1 FROM gateway_messages WHERE true
ON CONFLICT (singleton) DO NOTHING;
