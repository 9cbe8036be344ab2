// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text.Json.Nodes;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Fixtures;

/// <summary>Debian's real <c>prometheus</c> scraping one target every 2 s on loopback, with its API at hand (./acgs test installs it).</summary>
internal sealed class PrometheusProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly DirectoryInfo _work;
    private readonly HttpClient _api;

    private PrometheusProcess(ChildProcess process, DirectoryInfo work, int port)
    {
        _process = process;
        _work = work;
        _api = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Starts Prometheus scraping <c>/metrics</c> of <paramref name="target"/> (host:port), with <paramref name="flags"/> added.</summary>
    public static PrometheusProcess Start(string target, params string[] flags)
    {
        var work = Directory.CreateTempSubdirectory("acgs-prometheus-");
        var config = Path.Combine(work.FullName, "prometheus.yml");
        File.WriteAllText(config, $$"""
            global: { scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 2s }
            scrape_configs:
              - job_name: acgs-sidecar
                static_configs: [{ targets: ["{{target}}"] }]
            """);
        var port = FreePort.Get();
        var start = new ProcessStartInfo("prometheus");
        foreach (var arg in new[] { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(work.FullName, "data"), $"--web.listen-address=127.0.0.1:{port}" }.Concat(flags))
        {
            start.ArgumentList.Add(arg);
        }

        return new PrometheusProcess(ChildProcess.Start(start), work, port); // Win32Exception when it is missing: ./acgs test installs Debian's prometheus
    }

    /// <summary>GET <paramref name="path"/> of the API as JSON, or null while Prometheus does not answer.</summary>
    public async Task<JsonNode?> GetJsonAsync(string path)
    {
        try
        {
            return JsonNode.Parse(await _api.GetStringAsync(new Uri(path, UriKind.Relative)));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>What Prometheus wrote so far.</summary>
    public string Log() => _process.Output();

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        await _process.DisposeAsync();
        _work.Delete(recursive: true);
    }
}
