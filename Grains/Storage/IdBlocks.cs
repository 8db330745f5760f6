namespace NymGateway.Grains.Storage;

/// <summary>
/// Message ids come in blocks (hi/lo): an inbox reserves a block from the store's one counter and
/// numbers its messages from it, in the order it accepts them, without a round trip per message.
/// A later block holds higher ids, so an inbox's ids keep increasing when it moves to another silo.
/// </summary>
public static class IdBlocks
{
    /// <summary>Ids per block (2^20); sql/*/…_inbox_ids.sql seeds the counter above the ids stored before with it.</summary>
    public const long Size = 1 << 20;

    public static long FirstId(long block) => block * Size;
}
