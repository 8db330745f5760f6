using System.Security.Cryptography;

namespace NymGateway.Nym.Sphinx;

/// <summary>delays::generate_from_average_duration: one exponentially distributed delay per hop, in nanoseconds.</summary>
public static class SphinxDelays
{
    public static ulong[] Generate(int hops, TimeSpan average)
    {
        double mean = average.Ticks * 100.0;
        var delays = new ulong[hops];
        for (int i = 0; i < hops; i++)
        {
            // 1 - U is in (0, 1], so the logarithm is finite.
            double uniform = 1.0 - RandomNumberGenerator.GetInt32(int.MaxValue) / (double)int.MaxValue;
            delays[i] = (ulong)Math.Round(-Math.Log(uniform) * mean);
        }
        return delays;
    }
}
