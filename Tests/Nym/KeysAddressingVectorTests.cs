using System.Net;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Keys;
using Xunit;

namespace NymGateway.Tests.Nym;

[Trait("Category", "Vectors")]
public sealed class KeysAddressingVectorTests
{
    private static readonly VectorFile File = VectorFile.Load("keys_addressing");

    [Fact]
    public void Keys_and_their_base58_forms_match()
    {
        foreach (var c in File.Cases)
        {
            using var identity = IdentityKeyPair.FromSecret(c.Hex("client_identity_secret"));
            Assert.Equal(c.Hex("client_identity_public"), identity.PublicKey.Bytes.ToArray());
            Assert.Equal(c.Str("client_identity_public_base58"), identity.PublicKey.ToBase58());
            Assert.Equal(c.Str("client_identity_secret_base58"), NymGateway.Nym.Encoding.Base58Text.Encode(identity.Secret));

            var encryption = EncryptionKeyPair.FromSecret(c.Hex("client_encryption_private_raw"));
            Assert.Equal(c.Hex("client_encryption_private"), encryption.Secret);
            Assert.Equal(c.Str("client_encryption_private_base58"), NymGateway.Nym.Encoding.Base58Text.Encode(encryption.Secret));
            Assert.Equal(c.Hex("client_encryption_public"), encryption.PublicKey);
            Assert.Equal(c.Str("client_encryption_public_base58"), NymGateway.Nym.Encoding.Base58Text.Encode(encryption.PublicKey));

            Assert.True(IdentityPublicKey.TryFromBase58(c.Str("gateway_identity_public_base58"), out var gateway, out _));
            Assert.Equal(c.Hex("gateway_identity_public"), gateway.Bytes.ToArray());
        }
    }

    [Fact]
    public void Recipients_parse_and_format()
    {
        foreach (var c in File.Cases)
        {
            Assert.True(Recipient.TryParse(c.Str("recipient_string"), out var recipient, out var error), $"{c.Name()}: {error}");
            Assert.Equal(c.Str("recipient_string"), recipient.ToString());
            Assert.Equal(c.Hex("recipient_bytes"), recipient.ToBytes());
            var destination = recipient.ToSphinxDestination();
            Assert.Equal(c.Hex("sphinx_destination_address"), destination.Address);
            Assert.Equal(c.Hex("sphinx_destination_identifier"), destination.Identifier);
        }
    }

    [Fact]
    public void Node_addresses_encode()
    {
        foreach (var c in File.Cases)
        {
            var address = new NodeAddress(IPEndPoint.Parse(c.Str("node_socket_address")));
            Assert.Equal(c.Hex("node_address_unpadded"), address.ToUnpaddedBytes());
            Assert.Equal(c.Hex("node_address_bytes"), address.ToSphinxBytes());
            Assert.True(NodeAddress.TryParse(c.Hex("node_address_bytes"), out var parsed, out _));
            Assert.Equal(address, parsed);
            Assert.Equal(c.Str("node_socket_address"), parsed.ToString());
        }
    }

    [Fact]
    public void Negative_cases_fail_with_the_recorded_error()
    {
        foreach (var n in File.NegativeCases)
        {
            var result = n.GetProperty("result");
            var expected = result.Str("error");
            if (n.Name().StartsWith("node_address", StringComparison.Ordinal))
            {
                Assert.False(NodeAddress.TryParse(n.Hex("input"), out _, out var addressError), n.Name());
                Assert.Equal(expected, addressError.ToString());
                continue;
            }

            Assert.False(Recipient.TryParse(n.Str("input"), out _, out var error), n.Name());
            Assert.Equal(JsonVectorExtensions.Variant(expected), error!.Kind.ToString());
            Assert.Equal(result.Str("error_message"), error.ToString());
            if (error.Key is { } key)
            {
                // "MalformedIdentityError(MalformedString(InvalidCharacter { .. }))": the key error's own variant
                Assert.Contains($"({key.Kind}(", expected, StringComparison.Ordinal);
            }
        }
    }
}
