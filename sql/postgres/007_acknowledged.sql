-- NymGateway.Orleans: deliveries acknowledged before their message was written, on PostgreSQL. Idempotent.

-- The ids an acknowledgement found no stored message for. While a silo stops, a client's inbox can
-- run briefly on two silos: the client's acknowledgement (its websocket send completed) may reach
-- the new activation before the old one writes the message it held. The late row is then never
-- read, and the sweep deletes it; a row is kept for [storage] max_message_age, after which any
-- late message is swept by its age anyway.
CREATE TABLE IF NOT EXISTS gateway_acknowledged (
    id               BIGINT NOT NULL PRIMARY KEY,  -- the message id the acknowledgement named
    acknowledged_at  BIGINT NOT NULL               -- unix milliseconds, for the sweep
);
