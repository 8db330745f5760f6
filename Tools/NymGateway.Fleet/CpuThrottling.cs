namespace NymGateway.Fleet;

/// <summary>cpu.stat of a group: CFS periods, those throttled, and the time throttled.</summary>
public readonly record struct CpuThrottling(long Periods, long Throttled, TimeSpan ThrottledTime)
{
    public static CpuThrottling operator -(CpuThrottling end, CpuThrottling start) =>
        new(end.Periods - start.Periods, end.Throttled - start.Throttled, end.ThrottledTime - start.ThrottledTime);
}
