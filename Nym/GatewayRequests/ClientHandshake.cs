using NymGateway.Nym.Keys;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>The client's side of the registration handshake, for our test clients and tools.</summary>
public sealed class ClientHandshake : HandshakeParty
{
    private readonly IdentityPublicKey _gateway;
    private byte[]? _gatewayEphemeral;
    private bool _waitingForFinal;

    public ClientHandshake(IdentityKeyPair identity, IdentityPublicKey gateway, ReadOnlySpan<byte> ephemeralSecret = default)
        : base(identity, ephemeralSecret) => _gateway = gateway;

    /// <summary>The first frame: identity || g^x as a handshakePayload.</summary>
    public string Start()
    {
        var init = new byte[64];
        Identity.PublicKey.Bytes.CopyTo(init);
        Ephemeral.PublicKey.CopyTo(init, 32);
        return Payload(init);
    }

    public HandshakeStep Receive(string text)
    {
        if (!GatewayJson.TryParseHandshakeMessage(text, out var message))
        {
            return HandshakeStep.Ignore;
        }
        if (message is HandshakeMessage.Error remote)
        {
            return HandshakeStep.RemoteFailed(remote.Message);
        }
        var data = ((HandshakeMessage.Payload)message).Data;
        return _waitingForFinal ? Finish(data) : RespondToGateway(data);
    }

    private HandshakeStep RespondToGateway(byte[] data)
    {
        if (data.Length != EncryptionKeyPair.Size + KeyMaterialSize)
        {
            return HandshakeStep.Fail(new HandshakeError(HandshakeErrorKind.MalformedResponse));
        }
        _gatewayEphemeral = data[..EncryptionKeyPair.Size];
        DeriveSharedKeys(_gatewayEphemeral);
        var error = VerifyKeyMaterial(_gateway, data.AsSpan(EncryptionKeyPair.Size), _gatewayEphemeral);
        if (error is not null)
        {
            return HandshakeStep.Fail(error);
        }
        _waitingForFinal = true;
        return new HandshakeStep(Payload(KeyMaterial(_gatewayEphemeral)));
    }

    private HandshakeStep Finish(byte[] data) => data switch
    {
        [1] => new HandshakeStep(null, Keys),
        [0] => HandshakeStep.Fail(new HandshakeError(HandshakeErrorKind.HandshakeFailure)),
        _ => HandshakeStep.Fail(new HandshakeError(HandshakeErrorKind.MalformedResponse)),
    };
}
