namespace NymGateway.Cli.Config;

/// <summary>A configuration the gateway refuses; the message is the one line the operator sees (file, line, key, what is wrong).</summary>
public sealed class ConfigException(string message) : Exception(message);
