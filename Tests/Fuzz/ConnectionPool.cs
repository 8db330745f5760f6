using System.Collections.Concurrent;

namespace NymGateway.Tests.Fuzz;

/// <summary>Open connections the fuzz threads share: taken for one input, returned while still usable.</summary>
public sealed class ConnectionPool<T>(Func<Task<T>> open) : IAsyncDisposable where T : class
{
    private readonly ConcurrentBag<T> _idle = [];

    public async Task<T> TakeAsync() => _idle.TryTake(out var connection) ? connection : await open();

    public void Return(T connection) => _idle.Add(connection);

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
        {
            switch (connection)
            {
                case IAsyncDisposable asynchronous:
                    await asynchronous.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}
