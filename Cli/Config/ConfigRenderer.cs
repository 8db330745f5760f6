using System.ComponentModel;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;

namespace NymGateway.Cli.Config;

/// <summary>
/// Writes <c>config.toml</c> from <see cref="ConfigSchema"/>: 0.9.2's layout (a "#####" title
/// per section, the doc of each key as its comment), every key with its current value.
/// </summary>
public static class ConfigRenderer
{
    /// <param name="maskSecrets">Passwords in connection strings become "***" (for printing, never for saving).</param>
    public static string Render(GatewayConfig config, bool maskSecrets = false)
    {
        var text = new StringBuilder("""

            # This is a TOML config file.
            # For more information, see https://github.com/toml-lang/toml

            """);
        foreach (var section in ConfigSchema.Sections)
        {
            var lines = section.Title.Split('\n');
            text.Append('\n').Append("##### ").Append(lines[0]).Append(" #####\n");
            Comment(text, string.Join('\n', lines.Skip(1)));
            text.Append("\n[").Append(section.Name).Append("]\n");
            var values = section.Property.GetValue(config)!;
            var tables = new List<(ConfigSchema.Key Key, Dictionary<string, string> Entries)>();
            foreach (var key in section.Keys)
            {
                var value = key.Property.GetValue(values)!;
                if (value is Dictionary<string, string> entries)
                {
                    tables.Add((key, entries));
                    continue;
                }
                bool secret = maskSecrets && key.Property.GetCustomAttribute<PasswordPropertyTextAttribute>()?.Password == true;
                Comment(text, key.Comment);
                text.Append(key.Name).Append(" = ").Append(Value(secret ? ConnectionStrings.Mask((string)value) : value)).Append("\n\n");
            }
            foreach (var (key, entries) in tables)
            {
                Comment(text, key.Comment);
                text.Append('[').Append(section.Name).Append('.').Append(key.Name).Append("]\n");
                foreach (var (name, entry) in entries)
                {
                    text.Append(Quote(name)).Append(" = ").Append(Quote(entry)).Append('\n');
                }
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Whether the rendered file would hold a secret (a connection string with a password): then it is written 0600.</summary>
    public static bool HoldsSecret(GatewayConfig config) => ConfigSchema.Sections
        .SelectMany(s => s.Keys.Select(k => (k, Values: s.Property.GetValue(config)!)))
        .Any(x => x.k.Property.GetCustomAttribute<PasswordPropertyTextAttribute>()?.Password == true
                  && ConnectionStrings.HasPassword((string)x.k.Property.GetValue(x.Values)!));

    private static void Comment(StringBuilder text, string comment)
    {
        foreach (var line in comment.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("# ").Append(line).Append('\n');
        }
    }

    private static string Value(object value) => value switch
    {
        string s => Quote(s),
        int i => i.ToString(CultureInfo.InvariantCulture),
        TimeSpan d => Quote(HumanDuration.Format(d)),
        IPEndPoint e => Quote(e.ToString()),
        _ => throw new InvalidOperationException($"no TOML form for {value.GetType().Name}"),
    };

    /// <summary>A TOML basic string.</summary>
    private static string Quote(string value)
    {
        var escaped = new StringBuilder("\"");
        foreach (var ch in value)
        {
            escaped.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:X4}",
                _ => ch.ToString(),
            });
        }
        return escaped.Append('"').ToString();
    }
}
