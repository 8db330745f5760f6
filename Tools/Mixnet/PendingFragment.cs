using NymGateway.Nym.Addressing;
using NymGateway.Nym.Chunking;

namespace NymGateway.Mixnet;

/// <summary>A sent fragment waiting for its ACK, with the timer that retransmits it (0.9.2's PendingAcknowledgement).</summary>
internal sealed class PendingFragment(Fragment fragment, Recipient recipient)
{
    // A source without CancelAfter holds nothing to dispose; a replaced one is just cancelled.
    private CancellationTokenSource? _timer;

    public Fragment Fragment { get; } = fragment;
    public Recipient Recipient { get; } = recipient;

    public void StartTimer(TimeSpan timeout, Func<PendingFragment, Task> expired)
    {
        var timer = new CancellationTokenSource();
        Interlocked.Exchange(ref _timer, timer)?.Cancel();
        _ = Task.Delay(timeout, timer.Token).ContinueWith(delay => delay.IsCanceled ? Task.CompletedTask : expired(this),
            TaskScheduler.Default).Unwrap();
    }

    public void StopTimer() => Interlocked.Exchange(ref _timer, null)?.Cancel();
}
