-- Orleans ADO.NET grain persistence on PostgreSQL, for Microsoft.Orleans.Persistence.AdoNet 10.x.
-- Used for the streams' PubSubStore, so stream subscriptions survive a silo's death.
-- Versions are optimistic: a write returns the new version, or the old one when it lost a race.
-- Idempotent: tables IF NOT EXISTS, functions OR REPLACE, queries upserted.

CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512),
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea,
    ModifiedOn             timestamp    NOT NULL,
    Version                integer
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage USING btree (GrainIdHash, GrainTypeHash);

CREATE OR REPLACE FUNCTION nym_storage_write(
    id_hash integer, id_n0 bigint, id_n1 bigint, type_hash integer, type_string varchar,
    id_extension varchar, service varchar, expected_version integer, payload bytea)
RETURNS TABLE (NewGrainStateVersion integer) LANGUAGE plpgsql AS $$
DECLARE affected integer;
BEGIN
    IF expected_version IS NOT NULL THEN
        UPDATE OrleansStorage
           SET PayloadBinary = payload, ModifiedOn = (now() AT TIME ZONE 'utc'), Version = Version + 1
         WHERE GrainIdHash = id_hash AND GrainTypeHash = type_hash AND GrainIdN0 = id_n0 AND GrainIdN1 = id_n1
           AND GrainTypeString = type_string AND GrainIdExtensionString IS NOT DISTINCT FROM id_extension
           AND ServiceId = service AND Version = expected_version;
        GET DIAGNOSTICS affected = ROW_COUNT;
        RETURN QUERY SELECT CASE WHEN affected > 0 THEN expected_version + 1 ELSE expected_version END;
        RETURN;
    END IF;
    -- First write of this state: serialise concurrent first writers on the grain's hash.
    PERFORM pg_advisory_xact_lock(id_hash);
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT id_hash, id_n0, id_n1, type_hash, type_string, id_extension, service, payload, (now() AT TIME ZONE 'utc'), 1
     WHERE NOT EXISTS (
        SELECT 1 FROM OrleansStorage
         WHERE GrainIdHash = id_hash AND GrainTypeHash = type_hash AND GrainIdN0 = id_n0 AND GrainIdN1 = id_n1
           AND GrainTypeString = type_string AND GrainIdExtensionString IS NOT DISTINCT FROM id_extension
           AND ServiceId = service);
    GET DIAGNOSTICS affected = ROW_COUNT;
    RETURN QUERY SELECT CASE WHEN affected > 0 THEN 1 ELSE NULL::integer END;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey',
 'SELECT NewGrainStateVersion FROM nym_storage_write(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary);'),
('ReadFromStorageKey',
 'SELECT PayloadBinary, (now() AT TIME ZONE ''utc''), Version FROM OrleansStorage
   WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
     AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
     AND ServiceId = @ServiceId;'),
('ClearStorageKey',
 'UPDATE OrleansStorage SET PayloadBinary = NULL, Version = Version + 1
   WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
     AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
     AND ServiceId = @ServiceId AND Version = @GrainStateVersion
  RETURNING Version AS NewGrainStateVersion;'),
('DeleteStorageKey',
 'DELETE FROM OrleansStorage
   WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
     AND GrainTypeString = @GrainTypeString AND GrainIdExtensionString IS NOT DISTINCT FROM @GrainIdExtensionString
     AND ServiceId = @ServiceId AND Version = @GrainStateVersion
  RETURNING Version + 1 AS NewGrainStateVersion;')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
