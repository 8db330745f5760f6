namespace NymGateway.Grains.Storage;

/// <summary>
/// A message to record, under the id its inbox gave it. <paramref name="Content"/> is null for a
/// message already pushed to its client: only its replay tag is recorded, so a copy is still known.
/// </summary>
public readonly record struct NewMessage(long Id, byte[]? Content);
