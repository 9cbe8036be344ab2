// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text.Json.Nodes;
using Acgs.Tools.Tests.HashCompliance;
using Acgs.Tools.Tests.LocalMesh;

namespace Acgs.Tools.Tests.Deploy;

/// <summary>deploy/observability/grafana: the four dashboards and their provisioning, and every panel's query against a
/// live local mesh scraped by Debian's Prometheus (deploy/observability/tests/check-dashboards.sh).</summary>
[Collection(LocalMeshGroup.Name)]
public sealed class GrafanaDashboardTests
{
    private static readonly string Grafana = Path.Combine(RepositoryRoot.Path, "deploy", "observability", "grafana");

    [Fact]
    public void Dashboards_MeshServiceBusControlPlane_EveryPanelQueriesTheProvisionedDatasource()
    {
        var dashboards = Directory.GetFiles(Path.Combine(Grafana, "dashboards"), "*.json").Order()
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        var datasource = File.ReadAllText(Path.Combine(Grafana, "provisioning", "datasources", "acgs-prometheus.yaml"));

        Assert.Equal(["acgs-bus", "acgs-control-plane", "acgs-mesh-overview", "acgs-service"], dashboards.Select(d => (string)d["uid"]!));
        Assert.Contains("uid: acgs-prometheus", datasource, StringComparison.Ordinal);
        foreach (var dashboard in dashboards)
        {
            Assert.Equal("cdd01ef066bc6cf2", (string)dashboard["constitutional_hash"]!);
            var panels = dashboard["panels"]!.AsArray();
            Assert.True(panels.Count >= 6, $"{dashboard["uid"]}: {panels.Count} panels");
            foreach (var panel in panels)
            {
                var targets = panel!["targets"]!.AsArray();
                Assert.NotEmpty(targets);
                Assert.All(targets, t => Assert.False(string.IsNullOrWhiteSpace((string?)t!["expr"]), $"{panel["title"]}: empty query"));
                Assert.Equal("acgs-prometheus", (string)panel["datasource"]!["uid"]!);
            }
        }
    }

    [Fact]
    public async Task DashboardQueries_LiveLocalMesh_EveryPanelReturnsData()
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot.Path, "deploy", "observability", "tests", "check-dashboards.sh"));
        start.ArgumentList.Add("--port-offset");
        start.ArgumentList.Add("2500");
        if (UpScript.BinariesExist())
        {
            start.ArgumentList.Add("--no-build");
        }

        start.Environment.Remove("REDIS_URL");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("check-dashboards.sh did not finish in 10 minutes");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
        Assert.Matches(@"dashboards: (\d+) of \1 panel queries returned data", output);
    }
}
