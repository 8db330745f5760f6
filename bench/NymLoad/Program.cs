using NymGateway.Load;
using NymGateway.Load.Options;

// nym-load: see `nym-load --help` and docs/performance.md.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop the gateway's processes on the way out instead of leaving them running
    cancel.Cancel();
};
var command = "nym-load" + string.Concat(args.Select(a => " " + a));
return await LoadCommand.InvokeAsync(args, (options, _) => new LoadRun(options, command, Console.Error).RunAsync(cancel.Token), Console.Error);
