using System.CommandLine;
using System.Globalization;
using NymGateway.Cli.Config;

namespace NymGateway.Cli.Commands;

/// <summary>Flags whose bad values are refused while parsing, with a line naming the flag (instead of a .NET type name or an exception).</summary>
public static class FlagParsers
{
    public static Option<int?> Port(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && ConfigValues.IsPort(port))
            {
                return port;
            }
            result.AddError($"{name}: '{text}' is not a port number (1..65535)");
            return null;
        },
    };

    public static Option<string?> Validated(string name, string description, Func<string, bool> isValid, string expected)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !isValid(value))
            {
                result.AddError($"{name}: '{value}' is not {expected}");
            }
        });
        return option;
    }
}
