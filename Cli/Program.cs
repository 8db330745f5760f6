using System.CommandLine;
using System.CommandLine.Invocation;
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
    CheckCommand.Create(),
    UpgradeCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Action is ParseErrorAction parseError)
{
    // One line naming the bad flag; the help text would bury it.
    parseError.ShowHelp = false;
}
// The hosts handle SIGINT/SIGTERM themselves (a graceful stop, then their own exit code).
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
