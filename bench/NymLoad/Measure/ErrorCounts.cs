using System.Net.Sockets;

namespace NymGateway.Load.Measure;

/// <summary>Errors of the whole run, by kind; safe from any thread.</summary>
public sealed class ErrorCounts
{
    private readonly long[] _counts = new long[Enum.GetValues<ErrorKind>().Length];

    public void Add(ErrorKind kind, long count = 1)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _counts[(int)kind], count);
        }
    }

    /// <summary>A socket error as a refused or a reset connection (anything else counts as a reset: the connection is gone).</summary>
    public void Add(SocketException error) =>
        Add(error.SocketErrorCode == SocketError.ConnectionRefused ? ErrorKind.ConnectionRefused : ErrorKind.ConnectionReset);

    public long this[ErrorKind kind] => Interlocked.Read(ref _counts[(int)kind]);

    /// <summary>Every kind with its count, zeros included, so a report shows what was checked.</summary>
    public IReadOnlyDictionary<string, long> ByKind() => Enum.GetValues<ErrorKind>().ToDictionary(k => k.ToString(), k => this[k]);
}
