using System.Diagnostics.CodeAnalysis;
using NymGateway.Nym.Keys;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Addressing;

/// <summary>RecipientFormattingError's variants.</summary>
public enum RecipientErrorKind
{
    MalformedRecipientError,
    MalformedIdentityError,
    MalformedEncryptionKeyError,
    MalformedGatewayError,
}

public sealed record RecipientError(RecipientErrorKind Kind, KeyError? Key = null)
{
    public override string ToString() => Kind switch
    {
        RecipientErrorKind.MalformedRecipientError => "recipient is malformed",
        RecipientErrorKind.MalformedIdentityError => $"recipient's identity key is malformed: {Key}",
        RecipientErrorKind.MalformedEncryptionKeyError => $"recipient's encryption key is malformed: {Key}",
        _ => $"recipient gateway's identity key is malformed: {Key}",
    };
}

/// <summary>A client's full address: <c>identity.encryptionKey@gateway</c>, each part base58.</summary>
public sealed record Recipient(IdentityPublicKey ClientIdentity, byte[] ClientEncryptionKey, IdentityPublicKey Gateway)
{
    public const int Length = 96;

    public static bool TryParse(string text, out Recipient recipient, [NotNullWhen(false)] out RecipientError? error)
    {
        recipient = null!;
        var halves = text.Split('@');
        var client = halves.Length == 2 ? halves[0].Split('.') : [];
        if (client.Length != 2)
        {
            error = new RecipientError(RecipientErrorKind.MalformedRecipientError);
            return false;
        }
        if (!IdentityPublicKey.TryFromBase58(client[0], out var identity, out var keyError))
        {
            error = new RecipientError(RecipientErrorKind.MalformedIdentityError, keyError);
            return false;
        }
        if (!EncryptionKeyPair.TryPublicKeyFromBase58(client[1], out var encryption, out keyError))
        {
            error = new RecipientError(RecipientErrorKind.MalformedEncryptionKeyError, keyError);
            return false;
        }
        if (!IdentityPublicKey.TryFromBase58(halves[1], out var gateway, out keyError))
        {
            error = new RecipientError(RecipientErrorKind.MalformedGatewayError, keyError);
            return false;
        }
        recipient = new Recipient(identity, encryption, gateway);
        error = null;
        return true;
    }

    /// <summary>identity (32) || encryption key (32) || gateway identity (32).</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        ClientIdentity.Bytes.CopyTo(bytes);
        ClientEncryptionKey.CopyTo(bytes, 32);
        Gateway.Bytes.CopyTo(bytes.AsSpan(64));
        return bytes;
    }

    /// <summary>Recipient::as_sphinx_destination: the identity key bytes and a zero identifier.</summary>
    public SphinxDestination ToSphinxDestination() =>
        new(ClientIdentity.Bytes.ToArray(), new byte[SphinxConstants.IdentifierLength]);

    public override string ToString() =>
        $"{ClientIdentity.ToBase58()}.{Encoding.Base58Text.Encode(ClientEncryptionKey)}@{Gateway.ToBase58()}";
}
