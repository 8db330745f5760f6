using NymGateway.Fleet;
using NymGateway.Load.Legacy;
using NymGateway.Nym.Encoding;
using Xunit;

namespace NymGateway.Tests.Load;

[Trait("Category", "Unit")]
public sealed class LegacyInboxStoreTests : IDisposable
{
    private readonly TemporaryHome _temporary = new("nym-legacy-inboxes");

    [Fact]
    public async Task Stores_a_file_per_message_in_the_clients_directory_and_deletes_what_was_read()
    {
        using var store = new LegacyInboxStore(_temporary.Path);
        byte[] alice = [.. Enumerable.Repeat((byte)1, 32)], bob = [.. Enumerable.Repeat((byte)2, 32)];
        await store.CreateInboxAsync(alice);
        await store.CreateInboxAsync(bob);

        await store.StoreAsync(alice, [1]);
        await store.StoreAsync(alice, [2, 2]);
        await store.StoreAsync(bob, [3, 3, 3]);

        var files = Directory.GetFiles(Path.Combine(_temporary.Path, Base58Text.Encode(alice)));
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.Matches("^[A-Za-z0-9]{16}$", Path.GetFileName(f)));
        var read = await store.RetrieveAllAsync(alice);
        Assert.Equal([[1], [2, 2]], read.Select(m => m.Content).OrderBy(c => c.Length));

        await store.DeleteAsync(read.Select(m => m.Path));

        Assert.Empty(await store.RetrieveAllAsync(alice));
        Assert.Equal([3, 3, 3], Assert.Single(await store.RetrieveAllAsync(bob)).Content);
    }

    public void Dispose() => _temporary.Dispose();
}
