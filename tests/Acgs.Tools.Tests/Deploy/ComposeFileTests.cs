// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Tools.Tests.HashCompliance;
using YamlDotNet.RepresentationModel;

namespace Acgs.Tools.Tests.Deploy;

/// <summary>deploy/compose/compose.yaml parsed as YAML against deploy/local/mesh.conf: every seed service's app shares
/// its sidecar's network namespace, the ports are those of ./acgs up, health checks, read-only root filesystems.</summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = YamlFile.Load(Path.Combine("deploy", "compose", "compose.yaml"));
    private static readonly YamlNode Services = Compose.Child("services")!;

    private static IEnumerable<string[]> MeshServices => File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "deploy", "local", "mesh.conf"))
        .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Services_EverySeedService_IsItsAppInItsSidecarsNetworkNamespace()
    {
        Assert.Equal(6, MeshServices.Count());
        foreach (var line in MeshServices)
        {
            var (name, app, inbound, admin) = (line[0], line[1], line[2], line[4]);
            var sidecar = Services.Child(name + "-sidecar");
            var demo = Services.Child(name);
            Assert.True(sidecar is not null && demo is not null, $"{name} or {name}-sidecar is missing");
            Assert.Equal($"service:{name}-sidecar", demo.Text("network_mode"));
            Assert.Contains(name + "-sidecar", demo.Child("depends_on").Strings());
            Assert.Equal(name, sidecar.Child("environment")!.Text("ACGS_SERVICE_NAME"));
            Assert.Equal(app, demo.Child("environment")!.Text("DEMO_PORT"));
            var ports = sidecar.Child("ports").Strings();
            foreach (var port in new[] { app, inbound, admin })
            {
                Assert.Contains($"${{ACGS_COMPOSE_BIND:-127.0.0.1}}:{port}:{port}", ports);
            }

            Assert.Contains(admin + " /health/ready", sidecar.Child("healthcheck")!.Child("test").Strings()[1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Services_EveryLongRunningOne_HasAHealthCheckAndAReadOnlyRootFilesystem()
    {
        foreach (var (name, service) in Services.Entries())
        {
            Assert.True(service.Text("read_only") == "true", $"{name}: read_only is not true");
            if (name != "mesh-init")
            {
                Assert.True(service.Child("healthcheck")?.Child("test") is not null, $"{name} has no health check");
            }
        }
    }

    [Fact]
    public void Services_ControlPlaneRedisPrometheus_AndGrafanaInItsProfile()
    {
        Assert.Equal("redis://redis:6379/0", Services.Child("control-plane")!.Child("environment")!.Text("REDIS_URL"));
        Assert.Contains("${ACGS_COMPOSE_BIND:-127.0.0.1}:8000:8000", Services.Child("control-plane")!.Child("ports").Strings());
        Assert.Contains("./prometheus.yml:/etc/prometheus/prometheus.yml:ro", Services.Child("prometheus")!.Child("volumes").Strings());
        Assert.Equal(["grafana"], Services.Child("grafana")!.Child("profiles").Strings());
        Assert.Contains("../observability/grafana/provisioning:/etc/grafana/provisioning:ro", Services.Child("grafana")!.Child("volumes").Strings());
        Assert.All(Services.Entries().Where(e => e.Key != "grafana"),
            e => Assert.StartsWith("${ACGS_IMAGE_PREFIX:-localhost/acgs}/", e.Value.Text("image")!, StringComparison.Ordinal));
    }

    [Fact]
    public void Prometheus_ScrapesTheControlPlaneAndEverySidecarAdminPort()
    {
        var config = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "deploy", "compose", "prometheus.yml"));
        Assert.Contains("targets: [\"control-plane:8000\"]", config, StringComparison.Ordinal);
        foreach (var line in MeshServices)
        {
            Assert.Contains($"targets: [\"{line[0]}-sidecar:{line[4]}\"]", config, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Prometheus_ComposeScrapeConfiguration_PassesPromtoolCheckConfig()
    {
        var start = new ProcessStartInfo("promtool") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "check", "config", Path.Combine(RepositoryRoot.Path, "deploy", "compose", "prometheus.yml") })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start (./acgs test installs Debian's prometheus)");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, await output + await errors);
        Assert.Contains("is valid prometheus config file syntax", await output + await errors, StringComparison.Ordinal);
    }
}
