namespace NymGateway.Grains;

/// <summary>
/// How log lines name a client: the first 8 characters of its base58 address, enough to follow
/// one client through the log without writing whole addresses into it.
/// </summary>
public readonly record struct ClientAddressPrefix(string Address)
{
    public override string ToString() => Address.Length <= 8 ? Address : Address[..8];
}
