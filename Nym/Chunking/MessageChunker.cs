using System.Security.Cryptography;

namespace NymGateway.Nym.Chunking;

/// <summary>
/// MessagePreparer::prepare_and_split_message without a reply SURB, for messages that fit in
/// one fragment set: prefix 0 (no reply SURB), the message, 1, zero padding up to a whole
/// number of fragments, then split into equal fragments of one set with a random id.
/// </summary>
public static class MessageChunker
{
    /// <summary>Fragments one unlinked set carries.</summary>
    public const int MaxFragments = byte.MaxValue;

    /// <summary>Bytes of message a fragment carries when a packet has room for <paramref name="plaintextPerPacket"/>.</summary>
    public static int FragmentPayloadLength(int plaintextPerPacket) => plaintextPerPacket - Fragment.UnlinkedHeaderLength;

    /// <summary>The longest message one set carries (the no-reply-SURB byte and the padding marker take 2 bytes).</summary>
    public static int MaxMessageLength(int plaintextPerPacket) => MaxFragments * FragmentPayloadLength(plaintextPerPacket) - 2;

    public static IReadOnlyList<Fragment> Split(ReadOnlySpan<byte> message, int plaintextPerPacket)
    {
        if (message.Length > MaxMessageLength(plaintextPerPacket))
        {
            throw new ArgumentException($"a message of more than {MaxMessageLength(plaintextPerPacket)} bytes needs linked fragment sets, which this client does not build", nameof(message));
        }
        int chunk = FragmentPayloadLength(plaintextPerPacket);
        int count = (message.Length + 2 + chunk - 1) / chunk;
        var padded = new byte[count * chunk];
        message.CopyTo(padded.AsSpan(1));
        padded[1 + message.Length] = 1;

        int setId = NewSetId();
        var fragments = new Fragment[count];
        for (int i = 0; i < count; i++)
        {
            fragments[i] = new Fragment(setId, (byte)count, (byte)(i + 1), padded.AsMemory(i * chunk, chunk));
        }
        return fragments;
    }

    /// <summary>generate_set_id: a random positive i32.</summary>
    private static int NewSetId()
    {
        while (true)
        {
            int id = RandomNumberGenerator.GetInt32(int.MaxValue);
            if (id != 0)
            {
                return id;
            }
        }
    }
}
