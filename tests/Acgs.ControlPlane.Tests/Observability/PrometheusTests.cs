// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;
using Acgs.Testing;

namespace Acgs.ControlPlane.Tests.Observability;

/// <summary>deploy/observability with the real Prometheus of Debian: promtool checks and rule unit tests, and a live scrape of the control plane.</summary>
public sealed class PrometheusTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Observability = Path.Combine(Root, "deploy", "observability");

    [Fact]
    public async Task PromtoolCheckConfig_ShippedConfiguration_IsValid()
    {
        var (code, output) = await RunAsync("promtool", "check", "config", Path.Combine(Observability, "prometheus.yml"));

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 2 rule files found", output);
    }

    [Fact]
    public async Task PromtoolTestRules_EveryAlertsUnitTest_Passes()
    {
        var (code, output) = await RunAsync("promtool", "test", "rules", Path.Combine(Observability, "tests", "alerts-test.yml"));

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task PromtoolTestRules_GoldenRecordingRules_Pass()
    {
        var (code, output) = await RunAsync("promtool", "test", "rules", Path.Combine(Observability, "tests", "golden-recording-test.yml"));

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Fact]
    public async Task PromtoolTestRules_EveryAlertHasATestCase()
    {
        var alerts = File.ReadAllLines(Path.Combine(Observability, "rules", "acgs-alerts.yml"))
            .Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Select(l => l["- alert: ".Length..]).ToList();
        var tests = await File.ReadAllTextAsync(Path.Combine(Observability, "tests", "alerts-test.yml"));

        Assert.NotEmpty(alerts);
        foreach (var alert in alerts)
        {
            Assert.Contains("alertname: " + alert, tests);
        }
    }

    [Fact]
    public async Task Prometheus_ScrapingTheControlPlane_LoadsTheRulesAndSeesAnUnconvergedSidecar()
    {
        await using var host = await ControlPlaneHost.StartEmbeddedAsync(ControlPlaneHost.NewDataDirectory(),
            extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_TOKEN"] = "prometheus-test-sidecar-token-0123" });
        var client = new HttpClient { BaseAddress = host.Address, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "prometheus-test-sidecar-token-0123");
        await using var watch = await WatchConnection.OpenAsync(client, "svc-a", "node-1", "127.0.0.1:19301");
        await watch.NextSnapshotAsync(); // pushed, never ACKed: pending

        var work = Directory.CreateTempSubdirectory("acgs-prometheus-");
        var config = Path.Combine(work.FullName, "prometheus.yml");
        var port = FreePort.Get();
        await File.WriteAllTextAsync(config, $"""
            global: {"{"} scrape_interval: 1s, evaluation_interval: 1s {"}"}
            rule_files: ["{Path.Combine(Observability, "rules", "acgs-recording.yml")}", "{Path.Combine(Observability, "rules", "acgs-alerts.yml")}"]
            scrape_configs:
              - job_name: acgs-control-plane
                static_configs: [{"{"} targets: ["{host.Address.Authority}"] {"}"}]
            """);
        var start = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(work.FullName, "data"), $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var prometheus = Process.Start(start)!;
        _ = prometheus.StandardOutput.ReadToEndAsync();
        var log = prometheus.StandardError.ReadToEndAsync();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var value = await Eventually.ValueAsync(
                async () => await QueryAsync(api, "acgs_controlplane_unconverged_sidecars{state=\"pending\"}"),
                v => v == "1", TimeSpan.FromSeconds(60));
            Assert.Equal("1", value);
            Assert.Equal("1", await QueryAsync(api, "up{job=\"acgs-control-plane\"}"));

            var rules = JsonNode.Parse(await api.GetStringAsync(new Uri("api/v1/rules", UriKind.Relative)))!["data"]!["groups"]!.AsArray();
            var loaded = rules.SelectMany(g => g!["rules"]!.AsArray()).ToList();
            Assert.Equal(17, loaded.Count);
            Assert.All(loaded, r => Assert.NotEqual("err", r!["health"]!.GetValue<string>()));
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            work.Delete(recursive: true);
        }
    }

    private static async Task<string?> QueryAsync(HttpClient api, string query)
    {
        try
        {
            var answer = JsonNode.Parse(await api.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative)))!;
            var result = answer["data"]!["result"]!.AsArray();
            return result.Count == 0 ? null : result[0]!["value"]![1]!.GetValue<string>();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Observability };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start (./acgs test installs Debian's prometheus)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Acgs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Acgs.sln above " + AppContext.BaseDirectory);
    }
}
