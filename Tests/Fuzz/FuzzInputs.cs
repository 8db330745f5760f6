using System.Text;
using CsCheck;
using NymGateway.Nym.Framing;

namespace NymGateway.Tests.Fuzz;

/// <summary>What the fuzz suite throws at a gateway: random bytes and mutations of well-formed inputs.</summary>
public static class FuzzInputs
{
    private static readonly byte[] SizeBytes = [(byte)PacketSize.RegularPacket, (byte)PacketSize.ACKPacket, (byte)PacketSize.ExtendedPacket];

    /// <summary><paramref name="valid"/> with a few bytes flipped, cut short, or grown.</summary>
    public static Gen<byte[]> Mutated(byte[] valid) =>
        Gen.Frequency(
            (5, Gen.Select(Gen.Int[1, 8].SelectMany(n => Gen.Int[0, valid.Length - 1].Array[n]), Gen.Byte, (positions, value) =>
            {
                var copy = (byte[])valid.Clone();
                foreach (var position in positions)
                {
                    copy[position] ^= (byte)(value | 1);
                }
                return copy;
            })),
            (2, Gen.Int[0, valid.Length - 1].Select(length => valid[..length])),
            (1, Gen.Byte.Array[1, 64].Select(tail => (byte[])[.. valid, .. tail])));

    /// <summary>Mix frames: known sizes with random packets, mutated real frames, and random headers (which close the connection).</summary>
    public static Gen<byte[]> MixFrames(byte[] validFrame) =>
        Gen.Frequency(
            (6, Gen.Select(Gen.Int[0, SizeBytes.Length - 1], Gen.Byte[0, 1], (size, mode) => (Size: SizeBytes[size], Mode: mode))
                .SelectMany(header => Gen.Byte.Array[PacketSizeOf(header.Size)].Select(packet => (byte[])[header.Size, header.Mode, .. packet]))),
            (6, Mutated(validFrame)),
            (1, Gen.Byte.Array[1, 600]));

    /// <summary>Text requests: mutations of each well-formed request, random JSON-ish text and random strings.</summary>
    public static Gen<string> Texts(params string[] validRequests) =>
        Gen.Frequency(
            (6, Gen.Int[0, validRequests.Length - 1].SelectMany(i => Mutated(Encoding.UTF8.GetBytes(validRequests[i]))).Select(bytes => Encoding.UTF8.GetString(bytes))),
            (2, Gen.String[0, 200]),
            (2, Gen.Select(Gen.String[0, 20], Gen.String[0, 40], (type, data) => $$"""{"type":"{{type}}","data":"{{data}}"}""")));

    /// <summary>Binary requests: random bytes of any length, and mutations of a well-formed one.</summary>
    public static Gen<byte[]> Binaries(byte[] validRequest) =>
        Gen.Frequency((1, Gen.Byte.Array[0, 2000]), (2, Mutated(validRequest)));

    /// <summary>
    /// Websocket frames no client may send: unmasked, reserved opcodes and bits, a continuation with
    /// nothing to continue, a control frame that is too long, an absurd length, invalid UTF-8; and
    /// random bytes.
    /// </summary>
    public static Gen<byte[]> WebSocketFrames() =>
        Gen.Frequency(
            (1, Gen.Const<byte[]>([0x81, 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'])),
            (1, Gen.Byte[3, 7].Select(opcode => Masked((byte)(0x80 | opcode), [1, 2, 3]))),
            (1, Gen.Byte[0x10, 0x70].Select(reserved => Masked((byte)(0x82 | (reserved & 0x70)), [1, 2, 3]))),
            (1, Gen.Const(Masked(0x80, [1, 2, 3]))),
            (1, Gen.Const(Masked(0x89, new byte[126]))),
            (1, Gen.Const<byte[]>([0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4])),
            (1, Gen.Const(Masked(0x81, [0xC3, 0x28, 0xFF]))),
            (4, Gen.Byte.Array[1, 300]));

    /// <summary>A frame as a client must send it (masked), with any first byte.</summary>
    private static byte[] Masked(byte first, byte[] payload)
    {
        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        var header = payload.Length < 126 ? [first, (byte)(0x80 | payload.Length)] : new byte[] { first, 0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length };
        return [.. header, .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
    }

    private static int PacketSizeOf(byte size) => PacketSizes.TryFromByte(size, out var known) ? known.Size() : 0;
}
