// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>
/// One control-plane replica as its own process: the Release build's <c>Acgs.ControlPlane.dll</c> under <c>dotnet</c>, on a
/// fixed loopback port, on the run's redis-server (shared key prefix), logs in the run directory. <see cref="Kill"/> is
/// a SIGKILL; <see cref="StartAsync"/> starts it again on the same port (and on the same CPUs, when pinned).
/// </summary>
internal sealed class Replica(string controlPlaneDll, string redisUrl, string prefix, string id, string directory, IReadOnlyList<int>? cpus = null) : IDisposable
{
    public const string AdminToken = "convergence-benchmark-token";
    private Child? _child;
    private int _starts;

    public int Port { get; } = RedisProcess.FreePort();

    public string Id => id;

    public Uri Address => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    public int Pid => _child?.Pid ?? 0;

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync()
    {
        _starts++;
        var environment = new Dictionary<string, string>
        {
            ["ACGS_CONTROL_PLANE_PORT"] = Port.ToString(CultureInfo.InvariantCulture),
            ["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1",
            ["ACGS_DATA_DIR"] = Path.Combine(directory, id + "-data"),
            ["ACGS_ADMIN_TOKEN"] = AdminToken,
            ["ACGS_API_READS"] = "open",
            ["REDIS_URL"] = redisUrl,
            ["ACGS_REDIS_PREFIX"] = prefix,
            ["ACGS_REPLICA_ID"] = id,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _child = Child.Start("dotnet", [controlPlaneDll], environment, Path.Combine(directory, $"{id}-{_starts}.log"), cpus: cpus);
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready").ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (_child.HasExited || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(300))
            {
                throw new InvalidOperationException($"control-plane replica {id} did not become ready; see {directory}/{id}-{_starts}.log");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL: no shutdown work, its streams just break (a crash or an OOM kill).</summary>
    public void Kill()
    {
        _child?.Dispose();
        _child = null;
    }

    public void Dispose() => Kill();
}
