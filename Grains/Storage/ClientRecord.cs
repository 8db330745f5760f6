namespace NymGateway.Grains.Storage;

/// <summary>A registered client's ledger row: its shared keys, and the session that holds it (null while offline).</summary>
public sealed record ClientRecord(byte[] SharedKeys, Guid? Session);
