// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Acgs.Sidecar.Tests.Transparent;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Fixtures;

/// <summary>
/// The built sidecar as a child process on loopback ports (optionally under <c>prlimit --nofile</c>), with its output
/// captured, for behaviour that is about the process: descriptor limits, exit codes, signals.
/// </summary>
internal sealed class SidecarProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly List<string> _stdout;

    private SidecarProcess(Process process, StringBuilder output, List<string> stdout, int inbound, int outbound, int admin, int bus, int busHttp)
    {
        _process = process;
        _output = output;
        _stdout = stdout;
        Inbound = new Uri($"http://127.0.0.1:{inbound}/");
        Outbound = new Uri($"http://127.0.0.1:{outbound}/");
        Admin = new Uri($"http://127.0.0.1:{admin}/");
        BusPort = bus;
        BusHttp = new Uri($"http://127.0.0.1:{busHttp}/");
    }

    public Uri Inbound { get; }

    public Uri Outbound { get; }

    public Uri Admin { get; }

    /// <summary>The framed bus port (loopback).</summary>
    public int BusPort { get; }

    /// <summary>The bus HTTP API (loopback).</summary>
    public Uri BusHttp { get; }

    public Process Process => _process;

    /// <summary>Starts the sidecar in front of <paramref name="appPort"/>; <paramref name="maxDescriptors"/> sets soft and hard RLIMIT_NOFILE.</summary>
    public static async Task<SidecarProcess> StartAsync(int appPort, IReadOnlyDictionary<string, string>? extra = null, int? maxDescriptors = null)
    {
        var sidecar = Launch(appPort, extra, maxDescriptors);
        await sidecar.WaitAsync("health/ready");
        return sidecar;
    }

    /// <summary>Starts the sidecar without waiting for it.</summary>
    public static SidecarProcess Launch(int appPort, IReadOnlyDictionary<string, string>? extra = null, int? maxDescriptors = null)
    {
        var binary = RepositoryPaths.SidecarAssembly();
        var command = new List<string>();
        if (maxDescriptors is { } n)
        {
            command.AddRange(["prlimit", string.Create(CultureInfo.InvariantCulture, $"--nofile={n}:{n}"), "--"]);
        }

        if (binary.EndsWith(".dll", StringComparison.Ordinal))
        {
            command.Add("dotnet");
        }

        command.Add(binary);
        var info = new ProcessStartInfo(command[0]);
        command.Skip(1).ToList().ForEach(info.ArgumentList.Add);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var path = info.Environment["PATH"];
        info.Environment.Clear();
        info.Environment["PATH"] = path;
        var (inbound, outbound, admin) = (FreePort.Get(), FreePort.Get(), FreePort.Get());
        var env = new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = "svc-test",
            ["ACGS_INBOUND_ADDRESS"] = "127.0.0.1",
            ["ACGS_INBOUND_PORT"] = I(inbound),
            ["ACGS_OUTBOUND_PORT"] = I(outbound),
            ["ACGS_ADMIN_PORT"] = I(admin),
            ["ACGS_APP_PORT"] = I(appPort),
            ["ACGS_APP_PROBE_SECONDS"] = "0.2",
            ["ACGS_BUS_ADDRESS"] = "127.0.0.1",
            ["ACGS_BUS_PORT"] = I(FreePort.Get()),
            ["ACGS_BUS_HTTP_PORT"] = I(FreePort.Get()),
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        var stdout = new List<string>();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + binary);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data is { Length: > 0 } line)
                {
                    stdout.Add(line);
                }
            }
        };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SidecarProcess(process, output, stdout, Port(env, "ACGS_INBOUND_PORT"), outbound, admin, Port(env, "ACGS_BUS_PORT"), Port(env, "ACGS_BUS_HTTP_PORT"));
    }

    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>The non-empty lines written to stdout so far.</summary>
    public IReadOnlyList<string> StdoutLines()
    {
        lock (_output)
        {
            return [.. _stdout];
        }
    }

    /// <summary>Waits until GET <paramref name="path"/> on the admin port answers 2xx (60 s).</summary>
    public async Task WaitAsync(string path)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_process.HasExited, "the sidecar exited: " + Output());
            try
            {
                using var response = await Http.GetAsync(new Uri(Admin, path));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }
            catch (TaskCanceledException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"the sidecar did not answer {path} in 60 s: " + Output());
            await Task.Delay(100); // polling a child process, not synchronising
        }
    }

    /// <summary>GET <paramref name="path"/> on the admin port as text.</summary>
    public Task<string> AdminTextAsync(string path) => Http.GetStringAsync(new Uri(Admin, path));

    /// <summary>The value of a metric sample line starting with <paramref name="prefix"/> (0 when absent).</summary>
    public async Task<double> MetricAsync(string prefix)
    {
        var text = await Http.GetStringAsync(new Uri(Admin, "metrics"));
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int Port(Dictionary<string, string> env, string name) => int.Parse(env[name], CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
