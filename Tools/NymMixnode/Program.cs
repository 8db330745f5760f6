using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using NymGateway.Mixnet;
using NymGateway.Nym.Encoding;
using NymGateway.Nym.Keys;
using NymGateway.Tools.NymMixnode;

var id = new Option<string>("--id") { Description = "Id of the mix node", Required = true };
var host = new Option<string>("--host") { Description = "The host on which the mix node listens for sphinx packets", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port") { Description = "The port on which the mix node listens for sphinx packets", DefaultValueFactory = _ => 1790 };
var layer = new Option<int>("--layer") { Description = "The mixnet layer of this node (1, 2 or 3)", DefaultValueFactory = _ => 1 };
var maxDelay = new Option<int>("--max-delay-ms")
{
    Description = "The longest a packet waits here, whatever delay its header asks for",
    DefaultValueFactory = _ => (int)MixNodeOptions.DefaultMaxDelay.TotalMilliseconds,
};
var dropAcks = new Option<int>("--drop-acks") { Description = "Drop the first N ACK packets (shows the senders' retransmission)" };

var init = new Command("init", "Writes the config and a new Sphinx key pair under ~/.nym/mixnodes/<id>/") { id, host, port, layer };
init.SetAction(result =>
{
    var directories = NymDirectories.MixNode(result.GetValue(id)!);
    if (File.Exists(directories.ConfigFile))
    {
        Console.Error.WriteLine($"{directories.ConfigFile} exists already; remove {directories.Root} to start afresh");
        return 1;
    }
    var keys = EncryptionKeyPair.Generate();
    Directory.CreateDirectory(directories.Data);
    PemFiles.Write(directories.Data, "private_sphinx.pem", PemKey.EncryptionPrivateTag, keys.Secret);
    PemFiles.Write(directories.Data, "public_sphinx.pem", PemKey.EncryptionPublicTag, keys.PublicKey);
    var config = new MixNodeConfig();
    config.Mixnode.Id = result.GetValue(id)!;
    config.Mixnode.Layer = result.GetValue(layer);
    config.Mixnode.ListeningAddress = $"{result.GetValue(host)}:{result.GetValue(port)}";
    TomlConfigFile.Save(config, directories.ConfigFile);
    Console.WriteLine($"Mix node configuration completed in {directories.Root}");
    Console.WriteLine($"Its entry for a topology file: {{ \"layer\": {config.Mixnode.Layer}, \"address\": \"{config.Mixnode.ListeningAddress}\", \"sphinx_key\": \"{Base58Text.Encode(keys.PublicKey)}\" }}");
    return 0;
});

var run = new Command("run", "Runs the mix node until Ctrl-C") { id, maxDelay, dropAcks };
run.SetAction(async (result, cancellationToken) =>
{
    var directories = NymDirectories.MixNode(result.GetValue(id)!);
    if (!File.Exists(directories.ConfigFile))
    {
        Console.Error.WriteLine($"No mix node '{result.GetValue(id)}' here: run `nym-mixnode init --id {result.GetValue(id)}` first");
        return 1;
    }
    var config = TomlConfigFile.Load<MixNodeConfig>(directories.ConfigFile);
    var secret = PemFiles.Read(directories.Data, "private_sphinx.pem", PemKey.EncryptionPrivateTag, EncryptionKeyPair.Size);
    using var loggers = ToolLogging.Create();
    using var stop = new StopSignal();
    await using var node = new MixNode(new MixNodeOptions(IPEndPoint.Parse(config.Mixnode.ListeningAddress), secret,
        TimeSpan.FromMilliseconds(result.GetValue(maxDelay)), result.GetValue(dropAcks)), loggers.CreateLogger<MixNode>());
    Console.WriteLine($"Public sphinx key: {Base58Text.Encode(EncryptionKeyPair.FromSecret(secret).PublicKey)} (layer {config.Mixnode.Layer})");
    node.Start();
    await stop.WaitAsync();
    Console.WriteLine("Stopping the mix node");
    return 0;
});

return await new RootCommand("A Nym 0.9.2 mix node for local use") { init, run }.Parse(args)
    .InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
