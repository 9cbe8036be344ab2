// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Tests.Config;

public sealed class ConfigReloadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acgs-sidecar-test-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string File(string version, string clusters = "{}", string routes = "[]") => $$"""
        {
          "constitutional_hash": "{{Acgs.Core.AcgsConstants.ConstitutionalHash}}",
          "version": "{{version}}",
          "service_name": "svc-file",
          "clusters": {{clusters}},
          "routes": {{routes}},
          "sidecar": { "node_id": "file-node" }
        }
        """;

    private static Dictionary<string, string?> Env(int appPort) => new()
    {
        ["ACGS_APP_PORT"] = appPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ACGS_INBOUND_ADDRESS"] = "127.0.0.1",
        ["ACGS_INBOUND_PORT"] = "0",
        ["ACGS_OUTBOUND_PORT"] = "0",
        ["ACGS_ADMIN_PORT"] = "0",
        ["ACGS_CONFIG_POLL_SECONDS"] = "600",
    };

    [Fact]
    public async Task Reload_InvalidFile_KeepsPreviousAndCounts_ValidFileApplies()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var path = Path.Combine(_dir, "sidecar.json");
        await System.IO.File.WriteAllTextAsync(path, File("v1"));
        var loaded = BootstrapLoader.Load(["--config", path], Env(app.Port));
        Assert.Empty(loaded.Errors);
        Assert.Equal("file-node", loaded.Bootstrap!.Options.NodeId);
        await using var sidecar = await SidecarTestHost.StartAsync(loaded.Bootstrap);
        var watcher = sidecar.Host.Services.GetRequiredService<ConfigFileWatcher>();

        await System.IO.File.WriteAllTextAsync(path, File("v2", clusters: """{ "bad": { "destinations": ["ftp://x"], "breaker": { "fail_max": 0 } } }""", routes: """[{ "host": "a", "cluster": "missing" }]"""));
        var rejected = await watcher.CheckOnceAsync(CancellationToken.None);

        Assert.NotNull(rejected);
        Assert.False(rejected.Accepted);
        Assert.Equal(3, rejected.Errors.Count);
        Assert.Equal(1, sidecar.Metrics.ConfigRejections.Value);
        Assert.Equal("v1", Version(await sidecar.AdminGetStringAsync("/config_dump")));
        using (var stillWorks = await sidecar.GetInboundAsync("/ok"))
        {
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        await System.IO.File.WriteAllTextAsync(path, "{ not json");
        var broken = await watcher.CheckOnceAsync(CancellationToken.None);
        Assert.False(broken!.Accepted);
        Assert.Equal(2, sidecar.Metrics.ConfigRejections.Value);

        await System.IO.File.WriteAllTextAsync(path, File("v3"));
        var accepted = await watcher.CheckOnceAsync(CancellationToken.None);

        Assert.True(accepted!.Accepted);
        Assert.Equal("v3", Version(await sidecar.AdminGetStringAsync("/config_dump")));
        Assert.Equal("file", Source(await sidecar.AdminGetStringAsync("/config_dump")));
        Assert.Equal(2, sidecar.Metrics.ConfigApplies.Value); // the bootstrap snapshot and v3
    }

    [Fact]
    public async Task Watch_FileChanged_IsPickedUpByPolling()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var path = Path.Combine(_dir, "watched.json");
        await System.IO.File.WriteAllTextAsync(path, File("w1"));
        var env = Env(app.Port);
        env["ACGS_CONFIG_POLL_SECONDS"] = "0.1";
        var loaded = BootstrapLoader.Load(["--config", path], env);
        await using var sidecar = await SidecarTestHost.StartAsync(loaded.Bootstrap!);

        await System.IO.File.WriteAllTextAsync(path, File("w2"));

        var version = await Eventually.ValueAsync(async () => Version(await sidecar.AdminGetStringAsync("/config_dump")), v => v == "w2");
        Assert.Equal("w2", version);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--config")]
    public void Start_BadArguments_AreErrors(string arg)
    {
        var result = BootstrapLoader.Load([arg], Env(8081));

        Assert.Null(result.Bootstrap);
        Assert.Single(result.Errors);
    }

    [Fact]
    public async Task Start_InvalidFile_ListsEveryError()
    {
        var path = Path.Combine(_dir, "bad.json");
        await System.IO.File.WriteAllTextAsync(path, """
            {
              "constitutional_hash": "cdd01ef066bc6cf2",
              "version": "",
              "service_name": "Bad Name",
              "clusters": { "x": { "destinations": [] } },
              "hash_policy": { "exempt_path_prefixes": ["nope"] }
            }
            """);
        var env = Env(8081);
        env["ACGS_ADMIN_PORT"] = "70000";
        env["ACGS_HASH_MODE"] = "sometimes";

        var result = BootstrapLoader.Load(["--config", path], env);

        Assert.Null(result.Bootstrap);
        Assert.Equal(6, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.StartsWith("version:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("service_name:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("clusters.x.destinations:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("hash_policy.exempt_path_prefixes[0]:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("ACGS_ADMIN_PORT", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("ACGS_HASH_MODE:", StringComparison.Ordinal));
    }

    [Fact]
    public void Start_UnknownKeyAndMissingFile_AreErrors()
    {
        var path = Path.Combine(_dir, "typo.json");
        System.IO.File.WriteAllText(path, """{ "constitutional_hash": "cdd01ef066bc6cf2", "version": "v", "service_name": "s", "clusterz": {} }""");

        var typo = BootstrapLoader.Load(["--config", path], Env(8081));
        var missing = BootstrapLoader.Load(["--config=" + Path.Combine(_dir, "none.json")], Env(8081));

        Assert.Single(typo.Errors);
        Assert.Contains("clusterz", typo.Errors[0], StringComparison.Ordinal);
        Assert.Single(missing.Errors);
        Assert.Contains("cannot be read", missing.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Start_NoFile_UsesEmbeddedWithEnvironmentHashSettings()
    {
        var env = Env(8081);
        env["CONSTITUTIONAL_HASH"] = Acgs.Core.AcgsConstants.ConstitutionalHash + "," + new string('b', 16);
        env["ACGS_HASH_MODE"] = "audit";
        env["ACGS_SERVICE_NAME"] = "demo";

        var result = BootstrapLoader.Load([], env);

        Assert.Empty(result.Errors);
        Assert.Equal(ConfigSources.Embedded, result.Bootstrap!.Source);
        Assert.Equal(Contracts.Config.HashMode.Audit, result.Bootstrap.Snapshot.HashPolicy.Mode);
        Assert.Equal(2, result.Bootstrap.Snapshot.GetAcceptedHashes().Length);
        Assert.Equal("demo", result.Bootstrap.Snapshot.ServiceName);
        Assert.Equal(0, result.Bootstrap.Options.AdminPort);
    }

    private static string? Version(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("version").GetString();
    }

    private static string? Source(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("source").GetString();
    }
}
