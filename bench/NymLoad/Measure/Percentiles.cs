namespace NymGateway.Load.Measure;

/// <summary>Order statistics of a set of durations, in milliseconds (nearest rank).</summary>
public sealed record Percentiles(long Count, double P50, double P99, double P999, double Max)
{
    public static Percentiles Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(0, 0, 0, 0, 0);
        }
        double At(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.99), At(0.999), sorted[^1]);
    }
}
