using NymGateway.Nym.Keys;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>
/// The gateway's side of the registration handshake as a state machine over text frames:
/// init (client identity || g^x) in, g^y || material out, client material in, [1] out.
/// </summary>
public sealed class GatewayHandshake : HandshakeParty
{
    private IdentityPublicKey? _clientIdentity;
    private byte[]? _clientEphemeral;

    public GatewayHandshake(IdentityKeyPair identity, ReadOnlySpan<byte> ephemeralSecret = default)
        : base(identity, ephemeralSecret)
    {
    }

    /// <summary>The client's identity key, known once <see cref="Start"/> succeeded.</summary>
    public IdentityPublicKey? ClientIdentity => _clientIdentity;

    /// <summary>
    /// 0.9.2's extract_remote_identity_from_register_init: the client identity at the front of an
    /// init payload, read before the handshake runs (a payload too short or off the curve is a
    /// malformed request, not a failed handshake).
    /// </summary>
    public static bool TryReadClientIdentity(ReadOnlySpan<byte> initPayload, out IdentityPublicKey identity)
    {
        identity = null!;
        return initPayload.Length >= IdentityPublicKey.Size && IdentityPublicKey.TryFromBytes(initPayload[..IdentityPublicKey.Size], out identity, out _);
    }

    /// <summary>Handles the client's first payload (from its registerHandshakeInitRequest / handshakePayload).</summary>
    public HandshakeStep Start(ReadOnlySpan<byte> initPayload)
    {
        if (initPayload.Length != IdentityPublicKey.Size + EncryptionKeyPair.Size ||
            !IdentityPublicKey.TryFromBytes(initPayload[..IdentityPublicKey.Size], out var clientIdentity, out _))
        {
            return HandshakeStep.Fail(new HandshakeError(HandshakeErrorKind.MalformedRequest));
        }
        _clientIdentity = clientIdentity;
        _clientEphemeral = initPayload[IdentityPublicKey.Size..].ToArray();
        DeriveSharedKeys(_clientEphemeral);

        var response = new byte[EncryptionKeyPair.Size + KeyMaterialSize];
        Ephemeral.PublicKey.CopyTo(response, 0);
        KeyMaterial(_clientEphemeral).CopyTo(response, EncryptionKeyPair.Size);
        return new HandshakeStep(Payload(response));
    }

    /// <summary>Handles the client's key material.</summary>
    public HandshakeStep Receive(string text)
    {
        if (_clientIdentity is null || _clientEphemeral is null)
        {
            throw new InvalidOperationException("Start must succeed before Receive");
        }
        if (!GatewayJson.TryParseHandshakeMessage(text, out var message))
        {
            return HandshakeStep.Ignore;
        }
        if (message is HandshakeMessage.Error remote)
        {
            return HandshakeStep.RemoteFailed(remote.Message);
        }
        var error = VerifyKeyMaterial(_clientIdentity, ((HandshakeMessage.Payload)message).Data, _clientEphemeral);
        return error is null ? new HandshakeStep(Payload([1]), Keys) : HandshakeStep.Fail(error);
    }
}
