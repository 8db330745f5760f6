using System.Diagnostics.CodeAnalysis;
using NymGateway.Nym.Encoding;

namespace NymGateway.Nym.GatewayRequests;

/// <summary>EncryptedAddressConversionError / IVConversionError variants.</summary>
public enum AuthenticationFieldErrorKind
{
    DecodeError,
    StringOfInvalidLengthError,
}

public sealed record AuthenticationFieldError(AuthenticationFieldErrorKind Kind, Base58Error? Base58 = null);

/// <summary>
/// How a returning client proves it holds the shared keys: the gateway re-encrypts the client's
/// address with AES-128-CTR under the client's IV and compares.
/// </summary>
public static class Authentication
{
    public const int AddressSize = 32;
    public const int IvSize = 16;

    public static byte[] EncryptAddress(SharedKeys keys, ReadOnlySpan<byte> address, ReadOnlySpan<byte> iv)
    {
        var encrypted = address.ToArray();
        keys.Encrypt(iv, encrypted);
        return encrypted;
    }

    /// <summary>EncryptedAddressBytes::verify (compared in constant time).</summary>
    public static bool Verify(SharedKeys keys, ReadOnlySpan<byte> address, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> encryptedAddress) =>
        address.Length == AddressSize && iv.Length == IvSize && encryptedAddress.Length == AddressSize &&
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(EncryptAddress(keys, address, iv), encryptedAddress);

    /// <summary>DestinationAddressBytes::try_from_base58_string: the client's address, 32 bytes in base58.</summary>
    public static bool TryDecodeAddress(string text, out byte[] bytes, [NotNullWhen(false)] out AuthenticationFieldError? error) =>
        TryDecode(text, AddressSize, out bytes, out error);

    public static bool TryDecodeEncryptedAddress(string text, out byte[] bytes, [NotNullWhen(false)] out AuthenticationFieldError? error) =>
        TryDecode(text, AddressSize, out bytes, out error);

    public static bool TryDecodeIv(string text, out byte[] bytes, [NotNullWhen(false)] out AuthenticationFieldError? error) =>
        TryDecode(text, IvSize, out bytes, out error);

    private static bool TryDecode(string text, int size, out byte[] bytes, out AuthenticationFieldError? error)
    {
        if (!Base58Text.TryDecode(text, out bytes, out var b58))
        {
            error = new AuthenticationFieldError(AuthenticationFieldErrorKind.DecodeError, b58);
            return false;
        }
        if (bytes.Length != size)
        {
            error = new AuthenticationFieldError(AuthenticationFieldErrorKind.StringOfInvalidLengthError);
            return false;
        }
        error = null;
        return true;
    }
}
