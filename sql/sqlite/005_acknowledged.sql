-- NymGateway.Orleans: deliveries acknowledged before their message was written, on the embedded SQLite database. Idempotent.

-- The ids an acknowledgement found no stored message for (its message written later, or already
-- deleted): a message written after its acknowledgement is not written, and is never read. Kept
-- for [storage] max_message_age, after which any late message is swept by its age anyway.
CREATE TABLE IF NOT EXISTS gateway_acknowledged (
    id               INTEGER NOT NULL PRIMARY KEY, -- the message id the acknowledgement named
    acknowledged_at  INTEGER NOT NULL              -- unix milliseconds, for the sweep
);
