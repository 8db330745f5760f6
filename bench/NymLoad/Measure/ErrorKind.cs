namespace NymGateway.Load.Measure;

/// <summary>What went wrong, counted by kind in the report.</summary>
public enum ErrorKind
{
    ConnectionRefused,
    ConnectionReset,
    HandshakeFailed,
    WebSocketClosed,
    AcksMissing,
    PushesMissing,
    PushesDuplicated,
    PushesUnknown,
}
