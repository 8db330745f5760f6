using System.CommandLine;
using NymGateway.Cli;
using NymGateway.Cli.Commands;

Console.WriteLine(Banner.Text);
var root = new RootCommand("Implementation of the Nym Mixnet Gateway, on Microsoft Orleans")
{
    InitCommand.Create(),
    RunCommand.Create(),
    SiloCommand.Create(),
    EdgeCommand.Create(),
    UnregisterCommand.Create(),
};
// The hosts handle SIGINT/SIGTERM themselves (a graceful stop, then their own exit code).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
