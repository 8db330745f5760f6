using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Nym.Addressing;

/// <summary>NymNodeRoutingAddressError.</summary>
public enum NodeAddressError
{
    InsufficientNumberOfBytesAvailableError,
    InvalidIPVersion,
}

/// <summary>
/// A mix node's socket address as nymsphinx encodes it (NymNodeRoutingAddress):
/// 4|6, port (u16 big-endian), IP octets; zero-padded to 32 bytes inside Sphinx headers.
/// </summary>
public readonly record struct NodeAddress(IPEndPoint EndPoint)
{
    public const int MaxUnpaddedLength = 19;

    /// <summary>Bytes this address needs: 7 for IPv4, 19 for IPv6.</summary>
    public int UnpaddedLength => EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? 19 : 7;

    public static bool TryParse(ReadOnlySpan<byte> bytes, out NodeAddress address, out NodeAddressError error)
    {
        address = default;
        error = default;
        if (bytes.Length < 7)
        {
            error = NodeAddressError.InsufficientNumberOfBytesAvailableError;
            return false;
        }
        int port = BinaryPrimitives.ReadUInt16BigEndian(bytes[1..]);
        switch (bytes[0])
        {
            case 4:
                address = new NodeAddress(new IPEndPoint(new IPAddress(bytes.Slice(3, 4)), port));
                return true;
            case 6:
                if (bytes.Length < 19)
                {
                    error = NodeAddressError.InsufficientNumberOfBytesAvailableError;
                    return false;
                }
                address = new NodeAddress(new IPEndPoint(new IPAddress(bytes.Slice(3, 16)), port));
                return true;
            default:
                error = NodeAddressError.InvalidIPVersion;
                return false;
        }
    }

    /// <summary>Writes the unpadded form; returns the number of bytes written.</summary>
    public int Write(Span<byte> destination)
    {
        bool v6 = EndPoint.AddressFamily == AddressFamily.InterNetworkV6;
        destination[0] = v6 ? (byte)6 : (byte)4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)EndPoint.Port);
        EndPoint.Address.TryWriteBytes(destination[3..], out int written);
        return 3 + written;
    }

    public byte[] ToUnpaddedBytes()
    {
        var bytes = new byte[UnpaddedLength];
        Write(bytes);
        return bytes;
    }

    /// <summary>The form inside Sphinx routing information: zero-padded to 32 bytes.</summary>
    public byte[] ToSphinxBytes() => ToPadded(SphinxConstants.NodeAddressLength);

    public byte[] ToPadded(int length)
    {
        var bytes = new byte[Math.Max(length, UnpaddedLength)];
        Write(bytes);
        return bytes;
    }

    public override string ToString() => EndPoint.ToString();
}
