namespace NymGateway.Tools.NymClient;

/// <summary>config.toml of a client: its gateway (as 0.9.2's client keeps it) and the topology file it routes by.</summary>
public sealed class ClientConfig
{
    public ClientSection Client { get; set; } = new();

    public sealed class ClientSection
    {
        public string Id { get; set; } = "";

        /// <summary>The base58 identity of the gateway the client registered with.</summary>
        public string GatewayId { get; set; } = "";

        /// <summary>Its websocket address.</summary>
        public string GatewayListener { get; set; } = "";

        /// <summary>The JSON file with the mix nodes and gateways (this repo has no directory service).</summary>
        public string Topology { get; set; } = "";
    }
}
