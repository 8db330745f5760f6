-- NymGateway.Orleans: who is online, on the embedded SQLite database. Idempotent.

-- The websocket session that holds each connected client (one row while some edge holds it), so
-- an inbox reactivated after its silo died still knows to announce new messages. A row left by an
-- edge that died costs a stream event per delivery until the client connects again.
CREATE TABLE IF NOT EXISTS gateway_sessions (
    address  TEXT NOT NULL PRIMARY KEY,             -- client address, base58 (as gateway_clients)
    session  BLOB NOT NULL                          -- the session's id (a GUID)
) WITHOUT ROWID;
