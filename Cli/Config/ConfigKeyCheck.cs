using Tomlyn.Syntax;

namespace NymGateway.Cli.Config;

/// <summary>
/// Refuses sections and keys the gateway does not know, and values of the wrong kind, naming the
/// line (0.9.2 refused them too, with serde's deny_unknown_fields): a typo must not silently
/// fall back to a default. Returns the line of every key.
/// </summary>
public static class ConfigKeyCheck
{
    public static Dictionary<string, int> Check(DocumentSyntax document, string path)
    {
        var lines = new Dictionary<string, int>();
        if (document.KeyValues.FirstOrDefault() is { } stray)
        {
            throw new ConfigException($"{path}:{Line(stray)}: key '{Name(stray.Key)}' outside a section (known sections: {KnownSections()})");
        }
        foreach (var table in document.Tables)
        {
            var name = Name(table.Name);
            if (table is TableArraySyntax)
            {
                throw new ConfigException($"{path}:{Line(table)}: unknown section [[{name}]] (known: {KnownSections()})");
            }
            if (ConfigSchema.Find(name) is { } section)
            {
                foreach (var item in table.Items)
                {
                    CheckKey(section, item, path, lines);
                }
            }
            else if (IsFreeTable(name))
            {
                lines[name] = Line(table);
                foreach (var item in table.Items)
                {
                    CheckTableEntry(name, item, path);
                }
            }
            else
            {
                throw new ConfigException($"{path}:{Line(table)}: unknown section [{name}] (known: {KnownSections()})");
            }
        }
        return lines;
    }

    private static void CheckKey(ConfigSchema.Section section, KeyValueSyntax item, string path, Dictionary<string, int> lines)
    {
        var name = Name(item.Key);
        var key = section.Find(name)
            ?? throw new ConfigException($"{path}:{Line(item)}: unknown key '{name}' in [{section.Name}] (known: {string.Join(", ", section.Keys.Select(k => k.Name))})");
        lines[$"{section.Name}.{name}"] = Line(item);
        var type = key.Property.PropertyType;
        if (ConfigSchema.IsTable(key))
        {
            if (item.Value is not InlineTableSyntax inline)
            {
                throw WrongKind(path, item, section.Name, name, "a table of strings");
            }
            foreach (var entry in inline.Items)
            {
                CheckTableEntry($"{section.Name}.{name}", entry.KeyValue!, path);
            }
            return;
        }
        bool fits = item.Value switch
        {
            StringValueSyntax => type == typeof(string) || type == typeof(TimeSpan) || type == typeof(System.Net.IPEndPoint),
            IntegerValueSyntax => type == typeof(int) || type == typeof(TimeSpan),
            _ => false,
        };
        if (!fits)
        {
            throw WrongKind(path, item, section.Name, name, Expected(type));
        }
    }

    private static void CheckTableEntry(string table, KeyValueSyntax entry, string path)
    {
        if (entry.Value is not StringValueSyntax)
        {
            throw WrongKind(path, entry, table, Name(entry.Key), "a string");
        }
    }

    /// <summary>[section.key] where that key of that section takes free-form keys.</summary>
    private static bool IsFreeTable(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && ConfigSchema.Find(name[..dot])?.Find(name[(dot + 1)..]) is { } key && ConfigSchema.IsTable(key);
    }

    private static string Expected(Type type) =>
        type == typeof(int) ? "a whole number"
        : type == typeof(TimeSpan) ? "a duration such as \"10s\""
        : type == typeof(System.Net.IPEndPoint) ? "an \"ip:port\" string"
        : "a string";

    private static ConfigException WrongKind(string path, KeyValueSyntax item, string section, string key, string expected) =>
        new($"{path}:{Line(item)}: [{section}] {key}: expected {expected}, found {item.Value?.ToString()?.Trim()}");

    private static string KnownSections() => string.Join(", ", ConfigSchema.Sections.Select(s => s.Name));

    private static int Line(SyntaxNode node) => node.Span.Start.Line + 1;

    /// <summary>A key or table name as written, without spaces around dots or the quotes of a simple quoted key.</summary>
    private static string Name(KeySyntax? key)
    {
        var parts = (key?.ToString() ?? "").Split('.').Select(p => p.Trim().Trim('"', '\''));
        return string.Join('.', parts);
    }
}
