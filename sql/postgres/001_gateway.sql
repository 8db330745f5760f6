-- NymGateway.Orleans: the gateway's own tables on PostgreSQL.
-- Applied at every start; every statement is idempotent.

-- The client ledger: one row per registered client (its "access token").
CREATE TABLE IF NOT EXISTS gateway_clients (
    address        TEXT   NOT NULL PRIMARY KEY,    -- client address (ed25519 identity), base58
    shared_keys    BYTEA  NOT NULL,                -- AES-128-CTR key (16) || HMAC-BLAKE3 key (16)
    registered_at  BIGINT NOT NULL                 -- unix milliseconds
);

-- Undelivered messages; id (given by the inbox, see 006_inbox_ids.sql) gives arrival order per client.
CREATE TABLE IF NOT EXISTS gateway_messages (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address      TEXT   NOT NULL,
    content      BYTEA  NOT NULL,
    received_at  BIGINT NOT NULL                   -- unix milliseconds, for the age limit
);

CREATE INDEX IF NOT EXISTS gateway_messages_by_address ON gateway_messages (address, id);
CREATE INDEX IF NOT EXISTS gateway_messages_by_age ON gateway_messages (received_at);

-- The identity key of the gateway each cluster serves, recorded by the first host to start, so a
-- host started with another gateway's keys (whose packets it could not open) refuses to join.
CREATE TABLE IF NOT EXISTS gateway_identity (
    cluster_id    TEXT NOT NULL PRIMARY KEY,
    identity_key  TEXT NOT NULL                    -- ed25519 public key, base58
);
