using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Framing;

/// <summary>The three Sphinx packet sizes of Nym 0.9.2, with their wire byte.</summary>
public enum PacketSize : byte
{
    RegularPacket = 1,
    ACKPacket = 2,
    ExtendedPacket = 3,
}

/// <summary>How a packet is treated on its way: delayed (Mix) or not (VPN).</summary>
public enum PacketMode : byte
{
    Mix = 0,
    VPN = 1,
}

public static class PacketSizes
{
    public const int FragmentIdLength = 5;
    public const int AckIvSize = 16;
    public const int Regular = SphinxConstants.HeaderSize + SphinxConstants.PayloadOverheadSize + 2 * 1024;
    public const int Ack = SphinxConstants.HeaderSize + SphinxConstants.PayloadOverheadSize + AckIvSize + FragmentIdLength;
    public const int Extended = SphinxConstants.HeaderSize + SphinxConstants.PayloadOverheadSize + 32 * 1024;

    /// <summary>Total Sphinx packet bytes (header and payload).</summary>
    public static int Size(this PacketSize size) => size switch
    {
        PacketSize.RegularPacket => Regular,
        PacketSize.ACKPacket => Ack,
        PacketSize.ExtendedPacket => Extended,
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    public static int PayloadSize(this PacketSize size) => size.Size() - SphinxConstants.HeaderSize;

    public static int PlaintextSize(this PacketSize size) => size.PayloadSize() - SphinxConstants.PayloadOverheadSize;

    public static bool TryFromByte(byte value, out PacketSize size)
    {
        size = (PacketSize)value;
        return value is >= 1 and <= 3;
    }

    public static bool TryFromLength(int length, out PacketSize size)
    {
        size = length switch
        {
            Regular => PacketSize.RegularPacket,
            Ack => PacketSize.ACKPacket,
            Extended => PacketSize.ExtendedPacket,
            _ => 0,
        };
        return size != 0;
    }

    public static bool TryModeFromByte(byte value, out PacketMode mode)
    {
        mode = (PacketMode)value;
        return value <= 1;
    }
}
