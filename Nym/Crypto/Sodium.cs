using System.Runtime.InteropServices;

namespace NymGateway.Nym.Crypto;

/// <summary>
/// Direct calls into the libsodium that NSec ships. NSec keeps secrets in guarded native
/// objects, which is right for long-lived keys but far too slow per packet, so the per-packet
/// primitives (X25519, ChaCha20, keyed BLAKE2b) go straight to the library on stack buffers.
/// </summary>
internal static unsafe partial class Sodium
{
    private const string Library = "libsodium";

    static Sodium()
    {
        if (sodium_init() < 0)
        {
            throw new InvalidOperationException("libsodium failed to initialise");
        }
    }

    /// <summary>Forces the static constructor (sodium_init) to run.</summary>
    internal static void EnsureInitialized() { }

    /// <summary>libsodium returns 0 on success; these primitives fail only on misuse, which is a bug here.</summary>
    internal static void Check(int result)
    {
        if (result != 0)
        {
            throw new System.Security.Cryptography.CryptographicException($"libsodium call failed ({result})");
        }
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);

    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    [LibraryImport(Library)]
    internal static partial int crypto_stream_chacha20_xor_ic(byte* c, byte* m, ulong mlen, byte* n, ulong ic, byte* k);

    [LibraryImport(Library)]
    internal static partial int crypto_generichash_blake2b(byte* output, nuint outlen, byte* input, ulong inlen, byte* key, nuint keylen);
}
