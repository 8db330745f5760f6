using System.ComponentModel;
using System.Reflection;
using System.Text.Json;

namespace NymGateway.Cli.Config;

/// <summary>
/// The sections and keys of <c>config.toml</c>, read off <see cref="GatewayConfig"/> by
/// reflection: what the loader checks a file against, and what the renderer writes.
/// </summary>
public static class ConfigSchema
{
    public sealed record Key(string Name, PropertyInfo Property, string Comment);

    public sealed record Section(string Name, PropertyInfo Property, string Title, IReadOnlyList<Key> Keys)
    {
        public Key? Find(string name) => Keys.FirstOrDefault(k => k.Name == name);
    }

    public static IReadOnlyList<Section> Sections { get; } = typeof(GatewayConfig).GetProperties()
        .Where(p => p.GetCustomAttribute<DescriptionAttribute>() is not null)
        .Select(p => new Section(TomlName(p), p, Comment(p), BaseFirst(p.PropertyType).Select(k => new Key(TomlName(k), k, Comment(k))).ToList()))
        .ToList();

    public static Section? Find(string name) => Sections.FirstOrDefault(s => s.Name == name);

    /// <summary>Key names are the properties' names in snake_case, as Tomlyn binds them.</summary>
    public static JsonNamingPolicy Naming => JsonNamingPolicy.SnakeCaseLower;

    /// <summary>Keys whose value is a table of free-form keys (e.g. [logging.categories]).</summary>
    public static bool IsTable(Key key) => key.Property.PropertyType == typeof(Dictionary<string, string>);

    /// <summary>A section's keys in declaration order, a base class's (e.g. the forwarder's options under [debug]) first.</summary>
    private static IEnumerable<PropertyInfo> BaseFirst(Type type) =>
        (type.BaseType is { } parent && parent != typeof(object) ? BaseFirst(parent) : [])
        .Concat(type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));

    private static string TomlName(PropertyInfo p) => Naming.ConvertName(p.Name);

    private static string Comment(PropertyInfo p) =>
        p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? throw new InvalidOperationException($"{p.DeclaringType?.Name}.{p.Name} has no [Description]: every setting is documented");
}
