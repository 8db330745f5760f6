using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Logging;
using NymGateway.Mixnet;
using NymGateway.Nym.Addressing;
using NymGateway.Nym.Keys;
using NymGateway.Tools.NymClient;

var flags = new ClientFlags();

var init = new Command("init", "Creates the client's keys under ~/.nym/clients/<id>/ and registers with its gateway") { flags.Id, flags.Gateway, flags.Topology };
init.SetAction(async (result, cancellationToken) =>
{
    var directories = NymDirectories.Client(result.GetValue(flags.Id)!);
    if (ClientKeys.ExistIn(directories.Data))
    {
        Console.Error.WriteLine($"{directories.Data} holds keys already; remove {directories.Root} to start afresh");
        return 1;
    }
    if (!IdentityPublicKey.TryFromBase58(result.GetValue(flags.Gateway)!, out var gateway, out var error))
    {
        Console.Error.WriteLine($"--gateway: {error}");
        return 1;
    }
    var topologyFile = Path.GetFullPath(result.GetValue(flags.Topology)!);
    var topology = Topology.Load(topologyFile);
    using var loggers = ToolLogging.Create();
    var keys = ClientKeys.Generate();
    await using (var client = await MixnetClient.ConnectAsync(keys, gateway, topology, flags.Read(result), loggers.CreateLogger<MixnetClient>(),
        cancellationToken: cancellationToken))
    {
        keys.Save(directories.Data);
        var config = new ClientConfig();
        config.Client.Id = result.GetValue(flags.Id)!;
        config.Client.GatewayId = gateway.ToBase58();
        config.Client.GatewayListener = topology.Gateway(gateway).ClientsAddress;
        config.Client.Topology = topologyFile;
        TomlConfigFile.Save(config, directories.ConfigFile);
        Console.WriteLine($"Saved all generated keys and the gateway's shared keys in {directories.Data}");
        Console.WriteLine($"The address of this client is: {client.Address}");
    }
    return 0;
});

var run = new Command("run", "Connects (authenticates) and prints what arrives; each line on stdin, '<recipient> <text>', is sent")
{
    flags.Id, flags.TopologyOverride, flags.AveragePacketDelay, flags.AverageAckDelay, flags.AckWaitAddition, flags.AckWaitMultiplier,
};
run.SetAction(async (result, cancellationToken) =>
{
    var directories = NymDirectories.Client(result.GetValue(flags.Id)!);
    if (!File.Exists(directories.ConfigFile))
    {
        Console.Error.WriteLine($"No client '{result.GetValue(flags.Id)}' here: run `nym-client init --id {result.GetValue(flags.Id)}` first");
        return 1;
    }
    var config = TomlConfigFile.Load<ClientConfig>(directories.ConfigFile);
    IdentityPublicKey.TryFromBase58(config.Client.GatewayId, out var gateway, out _);
    var topology = Topology.Load(result.GetValue(flags.TopologyOverride) ?? config.Client.Topology);
    using var loggers = ToolLogging.Create();
    using var stop = new StopSignal();
    var client = await MixnetClient.ConnectAsync(ClientKeys.Load(directories.Data), gateway, topology, flags.Read(result),
        loggers.CreateLogger<MixnetClient>(), new Uri(config.Client.GatewayListener), stop.Token);
    Console.WriteLine($"The address of this client is: {client.Address}");
    // Both end when the client is disposed: its channels complete.
    var printing = Task.WhenAll(PrintMessagesAsync(client), PrintAcknowledgementsAsync(client));
    try
    {
        // Console.In reads synchronously: on a thread of its own, so a signal is not stuck behind a read.
        _ = Task.Run(() => SendLinesAsync(client, stop.Token), CancellationToken.None);
        await stop.WaitAsync();
        Console.WriteLine("Stopping the client");
    }
    finally
    {
        await client.DisposeAsync();
    }
    await printing;
    return 0;
});

return await new RootCommand("A Nym 0.9.2 client: real Sphinx through local mix nodes, SURB-ACKs and retransmission") { init, run }.Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

static async Task PrintMessagesAsync(MixnetClient client)
{
    await foreach (var message in client.Messages.ReadAllAsync().ConfigureAwait(false))
    {
        Console.WriteLine($"Received: {Encoding.UTF8.GetString(message)}");
    }
}

static async Task PrintAcknowledgementsAsync(MixnetClient client)
{
    await foreach (var fragment in client.Acknowledgements.ReadAllAsync().ConfigureAwait(false))
    {
        Console.WriteLine($"SURB-ACK came back: {fragment}");
    }
}

static async Task SendLinesAsync(MixnetClient client, CancellationToken stopping)
{
    // stdin at its end (e.g. /dev/null) only ends sending; the client keeps receiving until Ctrl-C.
    while (await Console.In.ReadLineAsync(stopping) is { } line)
    {
        var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !Recipient.TryParse(parts[0], out var recipient, out _))
        {
            Console.Error.WriteLine("Type '<recipient address> <text>'");
            continue;
        }
        await client.SendAsync(recipient, Encoding.UTF8.GetBytes(parts[1]));
        Console.WriteLine($"Sent {parts[1].Length} characters to {recipient}");
    }
}
