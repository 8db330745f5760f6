using NymGateway.Nym.Encoding;

namespace NymGateway.Nym.Keys;

/// <summary>common/crypto's KeyRecoveryError, for both key kinds.</summary>
public enum KeyErrorKind
{
    MalformedBytes,
    MalformedString,
    InvalidPublicKeyBytes,
    InvalidPrivateKeyBytes,
}

public sealed record KeyError(KeyErrorKind Kind, string Detail, Base58Error? Base58 = null)
{
    /// <summary>The Rust Display text, e.g. "malformed string - provided string contained ...".</summary>
    public override string ToString() => Kind switch
    {
        KeyErrorKind.MalformedBytes => "malformed bytes - signature error",
        KeyErrorKind.MalformedString => $"malformed string - {Base58}",
        KeyErrorKind.InvalidPublicKeyBytes => "Invalid public key bytes",
        _ => "Invalid private key bytes",
    };
}
