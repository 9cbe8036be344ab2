// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// The multi-process mode's machinery for one run: a redis-server, N control-plane replicas (separate processes, one Redis
/// key prefix), and watcher processes holding the simulated sidecars (<see cref="WatcherProcess"/>), each service's watchers
/// split over the replicas. Everything runs on loopback in a temporary directory and is killed on dispose.
/// </summary>
internal sealed class MultiLab : IDisposable
{
    private readonly string _directory;
    private readonly RedisProcess _redis;
    private readonly List<Child> _fleet = [];

    private MultiLab(string directory, RedisProcess redis, List<Replica> replicas, CpuPinning pinning)
    {
        _directory = directory;
        Pinning = pinning;
        _redis = redis;
        Replicas = replicas;
        Admin = new HttpClient { BaseAddress = replicas[0].Address, Timeout = TimeSpan.FromSeconds(60) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Replica.AdminToken);
    }

    public IReadOnlyList<Replica> Replicas { get; }

    /// <summary>Where the replicas (with redis-server) and the watcher processes may run.</summary>
    public CpuPinning Pinning { get; }

    /// <summary>A client of the first replica with the admin token: activations go through it.</summary>
    public HttpClient Admin { get; }

    /// <summary>Set when the run completed: the run directory (replica, redis and watcher logs) is deleted on dispose; kept and named otherwise.</summary>
    public bool Completed { get; set; }

    /// <summary>The watcher processes' ids (their CPU is the benchmark's own side of a round).</summary>
    public IEnumerable<int> WatcherPids => _fleet.Select(c => c.Pid);

    /// <summary>The longest snapshot line a watcher read while connecting.</summary>
    public int LineBytes { get; private set; }

    /// <summary>Where the control plane's Release build is, next to this benchmark's configuration; null when not built.</summary>
    public static string? ControlPlaneDll(BenchArguments args)
    {
        if (args.Text("--control-plane") is { } explicitPath)
        {
            return File.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }

        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        var path = Path.Combine(CurveRunner.RepositoryRoot(), "controlplane", "Acgs.ControlPlane", "bin", configuration, "net10.0", "Acgs.ControlPlane.dll");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Starts redis-server and the replicas (waiting until each is ready), on the CPUs <paramref name="pinning"/> gives them.</summary>
    public static async Task<MultiLab> StartAsync(string controlPlaneDll, string redisServer, int replicas, CpuPinning pinning)
    {
        var directory = Path.Combine(Path.GetTempPath(), "acgs-convergence-multi-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var redis = await RedisProcess.StartAsync(redisServer, directory, pinning.Replicas).ConfigureAwait(false);
        var prefix = "conv:" + Guid.NewGuid().ToString("N")[..8] + ":";
        var list = Enumerable.Range(0, replicas).Select(i => new Replica(controlPlaneDll, redis.Url, prefix, "r" + I(i), directory, pinning.Replicas)).ToList();
        var lab = new MultiLab(directory, redis, list, pinning);
        try
        {
            await Task.WhenAll(list.Select(r => r.StartAsync())).ConfigureAwait(false);
            await Send(lab.Admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = "bench-breaker" })).ConfigureAwait(false);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>Starts <paramref name="processes"/> watcher processes for <paramref name="watchers"/> sidecars and waits until every one ACKed a snapshot.</summary>
    public async Task ConnectAsync(int watchers, int services, string fullWork, int processes)
    {
        var targets = string.Join(',', Replicas.Select(r => r.Address.ToString().TrimEnd('/')));
        var self = typeof(MultiLab).Assembly.Location;
        for (var p = 0; p < processes; p++)
        {
            int first = watchers * p / processes, count = (watchers * (p + 1) / processes) - first;
            _fleet.Add(Child.Start("dotnet", [self, "--watcher-process", "--targets", targets, "--first", I(first), "--count", I(count), "--services", I(services), "--full-work", fullWork],
                new Dictionary<string, string>(), Path.Combine(_directory, $"watchers-{p}.log"), readLines: true, cpus: Pinning.Watchers));
        }

        foreach (var child in _fleet)
        {
            var ready = Expect(await child.ReadLineAsync(TimeSpan.FromMinutes(20)).ConfigureAwait(false), "ready");
            LineBytes = Math.Max(LineBytes, int.Parse(ready[2], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Sends <paramref name="command"/> to every watcher process and returns each answer's words (after checking its first word).</summary>
    public async Task<List<string[]>> AskAsync(string command, string answer, TimeSpan timeout)
    {
        await Task.WhenAll(_fleet.Select(c => c.SendAsync(command))).ConfigureAwait(false);
        var answers = new List<string[]>();
        foreach (var child in _fleet)
        {
            answers.Add(Expect(await child.ReadLineAsync(timeout).ConfigureAwait(false), answer));
        }

        return answers;
    }

    /// <summary>Established connections to all replicas (watch streams plus ACK pools), from /proc/net/tcp.</summary>
    public int Connections() => Replicas.Sum(r => Footprint.EstablishedTo(r.Port));

    /// <summary>Scrapes a replica's <c>/metrics</c>: sample name with labels → value.</summary>
    public static async Task<Dictionary<string, double>> ScrapeAsync(Replica replica)
    {
        using var http = new HttpClient { BaseAddress = replica.Address, Timeout = TimeSpan.FromSeconds(10) };
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in (await http.GetStringAsync("/metrics").ConfigureAwait(false)).Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0 && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                samples[line[..space]] = value;
            }
        }

        return samples;
    }

    public static async Task Send(Task<HttpResponseMessage> request)
    {
        using var response = await request.ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
    }

    public void Dispose()
    {
        Admin.Dispose();
        foreach (var child in _fleet)
        {
            child.Dispose();
        }

        foreach (var replica in Replicas)
        {
            replica.Dispose();
        }

        _redis.Dispose();
        if (!Completed)
        {
            Console.Error.WriteLine($"logs of the failed run kept in {_directory}");
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string[] Expect(string line, string word)
    {
        var words = line.Split(' ');
        return words[0] == word ? words : throw new InvalidOperationException($"watcher process answered '{line}', expected '{word} ...'");
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
