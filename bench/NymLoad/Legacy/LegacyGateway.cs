using System.Diagnostics;
using NymGateway.Load.Traffic;
using NymGateway.Nym.Framing;
using NymGateway.Nym.Gateway;
using NymGateway.Nym.Sphinx;

namespace NymGateway.Load.Legacy;

/// <summary>
/// 0.9.2's path for a message to an offline client, in this process on <see cref="LegacyInboxStore"/>:
/// each mix connection's task unwraps a packet's final hop and stores its message before the next;
/// a client coming back reads its whole inbox, then its files are deleted.
/// </summary>
public sealed class LegacyGateway(byte[] sphinxSecret, LegacyInboxStore store)
{
    public Task CreateInboxesAsync(IEnumerable<byte[]> clients) => Task.WhenAll(clients.Select(store.CreateInboxAsync));

    /// <summary>Stores the pool's messages with <paramref name="connections"/> tasks until they are done or the time is up.</summary>
    public async Task<(long Stored, TimeSpan Elapsed)> IngestAsync(FramePool pool, int connections, TimeSpan length)
    {
        var processor = new FinalHopProcessor(new SphinxNode(sphinxSecret));
        long next = -1, stored = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var scratch = new byte[PacketSizes.Extended];
            long index;
            while (clock.Elapsed < length && (index = Interlocked.Increment(ref next)) < pool.Count)
            {
                var frame = pool.Frames[(int)index];
                if (!processor.TryProcess(PacketSize.RegularPacket, PacketMode.Mix, frame.AsSpan(SphinxFrameCodec.HeaderSize), scratch, out var hop, out var error))
                {
                    throw new InvalidOperationException($"a load frame did not unwrap: {error}");
                }
                await store.StoreAsync(hop.Destination, hop.Message);
                Interlocked.Increment(ref stored);
            }
        })));
        return (stored, clock.Elapsed);
    }

    /// <summary>Every client comes back at once: each reads its inbox whole, then deletes what it read.</summary>
    public async Task<(long Retrieved, TimeSpan Elapsed)> RetrieveAndDeleteAsync(IReadOnlyList<byte[]> clients)
    {
        long retrieved = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(address => Task.Run(async () =>
        {
            var messages = await store.RetrieveAllAsync(address);
            await store.DeleteAsync(messages.Select(m => m.Path));
            Interlocked.Add(ref retrieved, messages.Count);
        })));
        return (retrieved, clock.Elapsed);
    }
}
