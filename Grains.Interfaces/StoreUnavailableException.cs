namespace NymGateway.Grains;

/// <summary>
/// The database did not take a read or write (it is down, restarting or unreachable). Callers
/// retry; nothing was committed by the failed call. Serializable, so it crosses from silo to edge.
/// </summary>
[GenerateSerializer]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
