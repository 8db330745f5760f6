using System.Globalization;

namespace NymGateway.Tools;

/// <summary>One scrape of a /metrics page: each sample's value, summed over its label sets, by metric name.</summary>
public sealed class PrometheusScrape(string text)
{
    private readonly Dictionary<string, double> _values = Parse(text);

    public string Text { get; } = text;

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The sum over every label set of <paramref name="name"/>; fails with the whole page when it is missing.</summary>
    public double this[string name] =>
        _values.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"{name} is not on the page:\n{Text}");

    /// <summary>The sum, or 0 while nothing was counted yet (an instrument appears on the page once it has a value).</summary>
    public double ValueOrZero(string name) => _values.GetValueOrDefault(name);

    private static Dictionary<string, double> Parse(string text)
    {
        var values = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }
            int labels = line.IndexOf('{');
            int space = line.IndexOf(' ');
            string name = line[..(labels >= 0 && labels < space ? labels : space)];
            string rest = labels >= 0 && labels < space ? line[(line.IndexOf('}') + 1)..] : line[space..];
            double value = double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            values[name] = values.GetValueOrDefault(name) + value;
        }
        return values;
    }
}
