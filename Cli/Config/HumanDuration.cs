using System.Globalization;
using System.Text;

namespace NymGateway.Cli.Config;

/// <summary>
/// Durations as Nym's config writes them (humantime: "10s", "5m", "1s 500ms"); a bare number
/// is milliseconds, as 0.9.2's deserializer reads it.
/// </summary>
public static class HumanDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return false;
        }
        foreach (var part in parts)
        {
            int split = 0;
            while (split < part.Length && char.IsAsciiDigit(part[split]))
            {
                split++;
            }
            if (split == 0 || !long.TryParse(part.AsSpan(0, split), NumberStyles.None, CultureInfo.InvariantCulture, out long number))
            {
                return false;
            }
            double? ms = part[split..] switch
            {
                "" or "ms" => number,
                "s" or "sec" or "secs" => number * 1000.0,
                "m" or "min" or "mins" => number * 60_000.0,
                "h" or "hr" or "hrs" => number * 3_600_000.0,
                "d" or "days" => number * 86_400_000.0,
                "us" => number / 1000.0,
                _ => null,
            };
            if (ms is null)
            {
                return false;
            }
            value += TimeSpan.FromMilliseconds(ms.Value);
        }
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }
        var text = new StringBuilder();
        void Part(long amount, string unit)
        {
            if (amount > 0)
            {
                text.Append(text.Length > 0 ? " " : "").Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            }
        }
        Part((long)value.TotalDays, "d");
        Part(value.Hours, "h");
        Part(value.Minutes, "m");
        Part(value.Seconds, "s");
        Part(value.Milliseconds, "ms");
        return text.ToString();
    }
}
