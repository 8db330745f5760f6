using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// SHA-256's compression function, from the libcrypto .NET itself uses on Linux (SHA-NI where the
/// CPU has it). .NET's one-shot HMAC and HKDF pay OpenSSL 3's provider look-ups on every call,
/// several times the hashing itself; fed whole blocks, <c>SHA256_Update</c> compresses them in
/// place, and a state can be copied, so an HMAC key's padded blocks are hashed once, not per use.
/// </summary>
internal static unsafe class Sha256Blocks
{
    public const int BlockSize = 64;
    public const int DigestSize = 32;

    private static readonly delegate* unmanaged[SuppressGCTransition]<Sha256State*, int> Init;
    private static readonly delegate* unmanaged[SuppressGCTransition]<Sha256State*, byte*, nuint, int> Update;

    static Sha256Blocks()
    {
        if (OperatingSystem.IsLinux()
            && (NativeLibrary.TryLoad("libcrypto.so.3", out var library) || NativeLibrary.TryLoad("libcrypto.so.1.1", out library))
            && NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
            && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update))
        {
            Init = (delegate* unmanaged[SuppressGCTransition]<Sha256State*, int>)init;
            Update = (delegate* unmanaged[SuppressGCTransition]<Sha256State*, byte*, nuint, int>)update;
        }
    }

    /// <summary>False where no libcrypto is found; callers then use .NET's one-shot APIs.</summary>
    public static bool IsSupported => Update != null;

    public static void Initialize(out Sha256State state)
    {
        state = default;
        fixed (Sha256State* s = &state)
        {
            Init(s);
        }
    }

    /// <summary>Compresses whole blocks into the state; the caller pads the last one itself.</summary>
    public static void Compress(ref Sha256State state, ReadOnlySpan<byte> blocks)
    {
        if (blocks.Length % BlockSize != 0)
        {
            throw new ArgumentException("SHA-256 compresses whole 64-byte blocks", nameof(blocks));
        }
        fixed (Sha256State* s = &state)
        fixed (byte* b = blocks)
        {
            Update(s, b, (nuint)blocks.Length);
        }
    }

    /// <summary>The chaining value as digest bytes: eight big-endian words.</summary>
    public static void WriteDigest(in Sha256State state, Span<byte> digest)
    {
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest[(4 * i)..], state[i]);
        }
    }
}

/// <summary>
/// OpenSSL's SHA256_CTX (h[8], Nl, Nh, data[16], num, md_len: 112 bytes in 1.1 and 3.x). Only
/// whole blocks are fed, so its buffer stays empty and copying the struct copies the hash.
/// </summary>
[InlineArray(28)]
internal struct Sha256State
{
    private uint _element;
}
