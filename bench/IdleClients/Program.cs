using System.Diagnostics;
using NymGateway.IdleClients;

// Idle clients measured: N authenticated websockets held idle on one single-process gateway
// (`nym-gateway run`, embedded SQLite, a process of its own), then all dropped at once; the
// gateway's resident memory and GC heap sampled before, connected, after the idle wait, after
// the storm and the idle wait again, per GC setting. See docs/memory.md.
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(IdleOptions.Usage);
    return 0;
}
const int TopTypes = 25;
var options = IdleOptions.Parse(args);
var command = "dotnet run -c Release --project bench/IdleClients --" + string.Concat(args.Select(a => " " + a));
var files = FileLimit.RaiseTo((ulong)(2 * options.Clients + 4096));
if (files < (ulong)options.Clients + 512)
{
    Console.Error.WriteLine($"{options.Clients} clients need about {options.Clients + 512} open files (in the gateway and in this process), the limit is {files}: raise it (`ulimit -n`, as root) or use fewer --clients");
    return 1;
}
var load = LoadAverage();
Console.WriteLine($"load average {load}; open-file limit {files}; {options.Clients} clients; GC settings: {string.Join(", ", options.Settings.Select(s => s.Name))}");

var home = Path.Combine(options.Directory, $"home-{options.Clients}");
Directory.CreateDirectory(home);
var folder = await IdleGateway.InitAsync(home, options.Clients);
var keysFile = Path.Combine(home, "clients.keys");
if (!File.Exists(keysFile))
{
    var registering = Stopwatch.StartNew();
    await using (var gateway = await IdleGateway.StartAsync(home, new Dictionary<string, string?>()))
    {
        await IdleClientPool.RegisterAsync(gateway.Clients, folder.Identity, options.Clients, options.Parallel, keysFile);
    }
    Console.WriteLine($"registered {options.Clients} clients in {registering.Elapsed.TotalSeconds:F0} s (kept in {keysFile})");
}
using var clients = await IdleClientPool.LoadAsync(keysFile);

var results = new List<SettingResult>();
int exitCode = 0;
string? written = null;
foreach (var setting in options.Settings)
{
    try
    {
        results.Add(await MeasureAsync(setting));
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"{setting.Name}: failed: {ex}");
        exitCode = 1;
        continue;
    }
    var r = results[^1];
    Console.WriteLine($"{setting.Name}: RSS {string.Join(" -> ", r.Samples.Select(s => $"{s.Point} {s.ResidentBytes / 1048576} MiB"))}; " +
        $"{r.ResidentPerClient / 1024:F1} KiB per idle client");
    // Written after every setting, so a later failure loses nothing measured.
    written = await Report.WriteAsync(options.Results, command, load, results, written);
}
if (written is not null)
{
    Console.WriteLine(Report.Markdown(command, load, results));
    Console.WriteLine($"results: {written}.json, {written}.md");
}
return exitCode;

async Task<SettingResult> MeasureAsync(GcSetting setting)
{
    await using var gateway = await IdleGateway.StartAsync(home, setting.Environment);
    try
    {
        return await MeasureOnAsync(setting, gateway);
    }
    catch (Exception ex)
    {
        await clients.DisconnectAllAsync();
        throw new InvalidOperationException($"{ex.Message}; the gateway's last lines:\n{gateway.Tail(30)}", ex);
    }
}

async Task<SettingResult> MeasureOnAsync(GcSetting setting, IdleGateway gateway)
{
    var clock = Stopwatch.StartNew();
    var samples = new List<MemorySample>();
    // Startup's own garbage and JIT settle first.
    await Task.Delay(TimeSpan.FromSeconds(5));
    samples.Add(await MemorySample.TakeAsync("started", gateway, clock.Elapsed));
    Console.WriteLine($"{setting.Name}: started, {samples[^1].ResidentBytes / 1048576} MiB; connecting");
    var typesStarted = HeapInspection.ByType(gateway.Process.Id);

    var connecting = Stopwatch.StartNew();
    await clients.ConnectAllAsync(gateway.Clients, options.Parallel);
    await gateway.WaitForConnectedAsync(clients.Count, TimeSpan.FromSeconds(60));
    var connectSeconds = connecting.Elapsed.TotalSeconds;
    samples.Add(await MemorySample.TakeAsync("connected", gateway, clock.Elapsed));
    Console.WriteLine($"{setting.Name}: {clients.Count} connected in {connectSeconds:F1} s, {samples[^1].ResidentBytes / 1048576} MiB; idle for {options.Idle.TotalSeconds} s");
    await Task.Delay(options.Idle);
    samples.Add(await MemorySample.TakeAsync("idle", gateway, clock.Elapsed));
    var typesIdle = HeapInspection.ByType(gateway.Process.Id);

    var storm = Stopwatch.StartNew();
    await clients.DisconnectAllAsync();
    await gateway.WaitForConnectedAsync(0, TimeSpan.FromSeconds(120));
    var stormSeconds = storm.Elapsed.TotalSeconds;
    samples.Add(await MemorySample.TakeAsync("disconnected", gateway, clock.Elapsed));
    Console.WriteLine($"{setting.Name}: all disconnected in {stormSeconds:F1} s, {samples[^1].ResidentBytes / 1048576} MiB");
    await Task.Delay(options.Idle);
    samples.Add(await MemorySample.TakeAsync("settled", gateway, clock.Elapsed));
    var typesSettled = HeapInspection.ByType(gateway.Process.Id);
    return new SettingResult(setting.Name, setting.Description, clients.Count, Math.Round(connectSeconds, 1), Math.Round(stormSeconds, 1), samples,
        TypeGrowth.Between(typesStarted, typesIdle, clients.Count, TopTypes), TypeGrowth.Between(typesStarted, typesSettled, clients.Count, TopTypes));
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
