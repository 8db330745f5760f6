using System.Text.Json.Serialization;

namespace NymGateway.EdgeHost.Presence;

/// <summary>The gateway registration body of 0.9.2's validator client (camelCase, flattened node info).</summary>
public sealed record GatewayRegistrationInfo(
    [property: JsonPropertyName("mixHost")] string MixHost,
    [property: JsonPropertyName("identityKey")] string IdentityKey,
    [property: JsonPropertyName("sphinxKey")] string SphinxKey,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("location")] string Location,
    [property: JsonPropertyName("incentivesAddress")] string IncentivesAddress,
    [property: JsonPropertyName("clientsHost")] string ClientsHost);

/// <summary>The two validator calls a 0.9.2 gateway makes: register and unregister.</summary>
public sealed class ValidatorClient(HttpClient http)
{
    public const string RegisterPath = "/api/mixmining/register/gateway";
    public const string UnregisterPath = "/api/mixmining/register";

    public async Task RegisterAsync(string validatorUrl, GatewayRegistrationInfo info, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(validatorUrl.TrimEnd('/') + RegisterPath, info, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task UnregisterAsync(string validatorUrl, string identityKey, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"{validatorUrl.TrimEnd('/')}{UnregisterPath}/{identityKey}", cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
