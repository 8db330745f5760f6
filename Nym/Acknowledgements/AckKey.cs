using System.Security.Cryptography;
using NymGateway.Nym.Chunking;
using NymGateway.Nym.Crypto;
using NymGateway.Nym.Framing;

namespace NymGateway.Nym.Acknowledgements;

/// <summary>
/// The client's AES-128-CTR key for its own acknowledgements (nymsphinx-acknowledgements): a
/// SURB-ACK carries random IV (16) || AES-CTR(key, IV, fragment id) (5), which only the sender reads.
/// </summary>
public sealed class AckKey
{
    public const int Size = Aes128Ctr.KeySize;

    /// <summary>The pem type 0.9.2's client stores ack_key.pem under.</summary>
    public const string PemTag = "AES-128-CTR ACKNOWLEDGEMENTS KEY";

    private readonly byte[] _key;

    private AckKey(byte[] key) => _key = key;

    public ReadOnlySpan<byte> Bytes => _key;

    public static AckKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    public static AckKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Size ? new AckKey(bytes.ToArray()) : throw new ArgumentException("an ack key is 16 bytes", nameof(bytes));

    /// <summary>prepare_identifier: IV || encrypted id, the whole plaintext of an ACK packet.</summary>
    public byte[] EncryptIdentifier(FragmentIdentifier identifier)
    {
        var bytes = new byte[PacketSizes.AckIvSize + FragmentIdentifier.Length];
        RandomNumberGenerator.Fill(bytes.AsSpan(0, PacketSizes.AckIvSize));
        identifier.ToBytes().CopyTo(bytes, PacketSizes.AckIvSize);
        Aes128Ctr.Apply(_key, bytes.AsSpan(0, PacketSizes.AckIvSize), bytes.AsSpan(PacketSizes.AckIvSize));
        return bytes;
    }

    /// <summary>recover_identifier, then FragmentIdentifier::try_from_bytes; false for a message of another size.</summary>
    public bool TryDecryptIdentifier(ReadOnlySpan<byte> ack, out FragmentIdentifier identifier)
    {
        identifier = default;
        if (ack.Length != PacketSize.ACKPacket.PlaintextSize())
        {
            return false;
        }
        Span<byte> id = stackalloc byte[FragmentIdentifier.Length];
        ack[PacketSizes.AckIvSize..].CopyTo(id);
        Aes128Ctr.Apply(_key, ack[..PacketSizes.AckIvSize], id);
        return FragmentIdentifier.TryFromBytes(id, out identifier);
    }
}
