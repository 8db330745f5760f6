namespace NymGateway.Nym.Sphinx;

/// <summary>The sphinx crate's ErrorKind; names match the Rust variants.</summary>
public enum SphinxErrorKind
{
    InvalidPacket,
    InvalidHeader,
    InvalidPayload,
    InvalidSURB,
    InvalidRouting,
}

public sealed record SphinxError(SphinxErrorKind Kind, string Message)
{
    /// <summary>The crate's Display form: "header processing failure: failed to verify integrity MAC".</summary>
    public override string ToString() => $"{KindText(Kind)}: {Message}";

    private static string KindText(SphinxErrorKind kind) => kind switch
    {
        SphinxErrorKind.InvalidPacket => "packet processing failure",
        SphinxErrorKind.InvalidHeader => "header processing failure",
        SphinxErrorKind.InvalidPayload => "payload processing failure",
        SphinxErrorKind.InvalidSURB => "SURB processing failure",
        _ => "routing information processing failure",
    };
}
