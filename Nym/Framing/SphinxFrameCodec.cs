using System.Buffers;

namespace NymGateway.Nym.Framing;

/// <summary>SphinxCodecError's variants.</summary>
public enum FrameError
{
    InvalidPacketSize,
    InvalidPacketMode,
}

public enum FrameStatus
{
    Frame,
    NeedMoreData,
    Error,
}

/// <summary>One decoded frame; <see cref="Packet"/> is a slice of the input, valid until it is advanced past.</summary>
public readonly record struct SphinxFrame(PacketSize Size, PacketMode Mode, ReadOnlySequence<byte> Packet);

/// <summary>
/// The mix TCP framing (nymsphinx-framing SphinxCodec): packet size byte || packet mode byte ||
/// Sphinx packet. Decodes incrementally from a <see cref="ReadOnlySequence{T}"/> without copying.
/// </summary>
public static class SphinxFrameCodec
{
    public const int HeaderSize = 2;

    /// <summary>The largest frame the codec accepts: an extended packet and its header.</summary>
    public const int MaxFrameSize = HeaderSize + PacketSizes.Extended;

    /// <summary>
    /// Tries to read one frame from the start of <paramref name="buffer"/>. On success the buffer is
    /// advanced past the frame; otherwise it is left as it was, as the Rust decoder leaves it.
    /// </summary>
    public static FrameStatus TryDecode(ref ReadOnlySequence<byte> buffer, out SphinxFrame frame, out FrameError error)
    {
        frame = default;
        error = default;
        if (buffer.Length < HeaderSize)
        {
            return FrameStatus.NeedMoreData;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        if (!PacketSizes.TryFromByte(header[0], out var size))
        {
            error = FrameError.InvalidPacketSize;
            return FrameStatus.Error;
        }
        if (!PacketSizes.TryModeFromByte(header[1], out var mode))
        {
            error = FrameError.InvalidPacketMode;
            return FrameStatus.Error;
        }

        long frameLength = HeaderSize + size.Size();
        if (buffer.Length < frameLength)
        {
            return FrameStatus.NeedMoreData;
        }

        frame = new SphinxFrame(size, mode, buffer.Slice(HeaderSize, size.Size()));
        buffer = buffer.Slice(frameLength);
        return FrameStatus.Frame;
    }

    /// <summary>Writes one frame. The packet must have the length its size names.</summary>
    public static void Encode(PacketSize size, PacketMode mode, ReadOnlySpan<byte> packet, IBufferWriter<byte> output)
    {
        if (packet.Length != size.Size())
        {
            throw new ArgumentException($"a {size} is {size.Size()} bytes, got {packet.Length}", nameof(packet));
        }
        var span = output.GetSpan(HeaderSize + packet.Length);
        span[0] = (byte)size;
        span[1] = (byte)mode;
        packet.CopyTo(span[HeaderSize..]);
        output.Advance(HeaderSize + packet.Length);
    }

    /// <summary>Frames a packet whose size follows from its length.</summary>
    public static byte[] Encode(PacketMode mode, ReadOnlySpan<byte> packet)
    {
        if (!PacketSizes.TryFromLength(packet.Length, out var size))
        {
            throw new ArgumentException($"{packet.Length} bytes is not a Nym packet size", nameof(packet));
        }
        var writer = new ArrayBufferWriter<byte>(HeaderSize + packet.Length);
        Encode(size, mode, packet, writer);
        return writer.WrittenSpan.ToArray();
    }
}
