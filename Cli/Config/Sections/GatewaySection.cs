using System.ComponentModel;

namespace NymGateway.Cli.Config.Sections;

/// <summary>[gateway]: 0.9.2's keys and defaults.</summary>
public sealed class GatewaySection
{
    [Description("Version of the gateway for which this configuration was created.")]
    public string Version { get; set; } = GatewayConfig.Version;

    [Description("Human readable ID of this particular gateway.")]
    public string Id { get; set; } = "";

    [Description("Completely optional value specifying geographical location of this particular node.\nCurrently it's used entirely for debug purposes, as there are no mechanisms implemented\nto verify correctness of the information provided. However, feel free to fill in\nthis field with as much accuracy as you wish to share.")]
    public string Location { get; set; } = "unknown";

    [Description("Path to file containing private identity key.\nA relative path (as here and below) is relative to the gateway's directory, the one holding config/.")]
    public string PrivateIdentityKeyFile { get; set; } = "data/private_identity.pem";

    [Description("Path to file containing public identity key.")]
    public string PublicIdentityKeyFile { get; set; } = "data/public_identity.pem";

    [Description("Path to file containing private sphinx key.")]
    public string PrivateSphinxKeyFile { get; set; } = "data/private_sphinx.pem";

    [Description("Path to file containing public sphinx key.")]
    public string PublicSphinxKeyFile { get; set; } = "data/public_sphinx.pem";

    [Description("Optional, if participating in the incentives program, payment address.")]
    public string IncentivesAddress { get; set; } = "";

    [Description("Validator server to which the node will be reporting their presence data.\nAn absolute http or https URL; empty turns presence off.")]
    public string ValidatorRestUrl { get; set; } = "http://testnet-validator1.nymtech.net:8081";

    [Description("nym_home_directory specifies absolute path to the home nym gateway directory.\nIt is expected to use default value and hence .toml file should not redefine this field.\n(Kept for 0.9.2: relative paths resolve against the gateway's own directory.)")]
    public string NymRootDirectory { get; set; } = "";
}
