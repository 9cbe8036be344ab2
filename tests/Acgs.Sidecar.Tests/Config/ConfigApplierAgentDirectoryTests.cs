// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Sidecar.Tests.Config;

/// <summary>The snapshot's agent_directory reaches the bus's <see cref="BusAgentDirectory"/>, merged over the static one.</summary>
public sealed class ConfigApplierAgentDirectoryTests
{
    [Fact]
    public async Task ApplyAsync_AgentDirectory_MergedOverStaticAndReplacedOnNextApply()
    {
        var directory = new BusAgentDirectory(new Dictionary<string, string> { ["static-a"] = "10.0.0.1:8080", ["moved"] = "10.0.0.1:8080" });
        using var applier = new ConfigApplier(SidecarTestHost.Options(1), new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance, agents: directory);

        var first = await applier.ApplyAsync(SidecarTestHost.Snapshot() with
        {
            AgentDirectory = ImmutableDictionary<string, string>.Empty.Add("moved", "10.0.0.2:8080").Add("dynamic-b", "10.0.0.3:8080"),
        }, "test");
        var afterFirst = new Dictionary<string, string>(directory.Entries);
        var second = await applier.ApplyAsync(SidecarTestHost.Snapshot(version: "v2"), "test");

        Assert.True(first.Accepted);
        Assert.True(second.Accepted);
        Assert.Equal(3, afterFirst.Count);
        Assert.Equal("10.0.0.2:8080", afterFirst["moved"]);
        Assert.Equal("10.0.0.3:8080", afterFirst["dynamic-b"]);
        Assert.Equal("10.0.0.1:8080", afterFirst["static-a"]);
        Assert.Equal(2, directory.Entries.Count);
        Assert.Equal("10.0.0.1:8080", directory.Entries["moved"]);
        Assert.True(directory.TryGetAddress("static-a"u8, out var address));
        Assert.Equal("10.0.0.1:8080", address);
    }

    [Fact]
    public async Task ApplyAsync_InvalidAgentAddress_RejectedDirectoryUnchanged()
    {
        var directory = new BusAgentDirectory(new Dictionary<string, string> { ["static-a"] = "10.0.0.1:8080" });
        using var applier = new ConfigApplier(SidecarTestHost.Options(1), new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance, agents: directory);

        var result = await applier.ApplyAsync(SidecarTestHost.Snapshot() with { AgentDirectory = ImmutableDictionary<string, string>.Empty.Add("x", "not-an-address") }, "test");

        Assert.False(result.Accepted);
        Assert.Contains(result.Errors, e => e.StartsWith("agent_directory.x:", StringComparison.Ordinal));
        Assert.Single(directory.Entries);
    }

    [Fact]
    public async Task SidecarHost_WithBus_BootstrapAgentDirectoryReachesBus()
    {
        var snapshot = SidecarTestHost.Snapshot() with { AgentDirectory = ImmutableDictionary<string, string>.Empty.Add("remote-agent", "10.0.0.7:8080") };
        var bootstrap = new SidecarBootstrap(SidecarTestHost.Options(1), snapshot, ConfigSources.Bootstrap, HashOverrides.None);
        var bus = new BusOptions { Address = "127.0.0.1", Port = 0, HttpPort = -1, Directory = new Dictionary<string, string> { ["local-static"] = "10.0.0.8:8080" } };

        await using var host = await SidecarHost.CreateAsync(bootstrap, b => b.UseAcgsBus(bus));

        Assert.True(host.InitialApply.Accepted);
        var entries = host.Services.GetRequiredService<BusAgentDirectory>().Entries;
        Assert.Equal("10.0.0.7:8080", entries["remote-agent"]);
        Assert.Equal("10.0.0.8:8080", entries["local-static"]);
    }

    [Fact]
    public async Task ApplyAsync_OnlyAgentDirectoryChanged_YarpConfigKeptSnapshotAndBusUpdated()
    {
        var directory = new BusAgentDirectory(new Dictionary<string, string>());
        using var applier = new ConfigApplier(SidecarTestHost.Options(1), new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance, agents: directory);
        var first = SidecarTestHost.Snapshot() with
        {
            Clusters = ImmutableDictionary<string, Contracts.Config.ClusterConfig>.Empty.Add("orders", new Contracts.Config.ClusterConfig { Destinations = ["127.0.0.1:1"] }),
            Routes = [new Contracts.Config.OutboundRoute { Host = "orders", Cluster = "orders" }],
        };
        Assert.True((await applier.ApplyAsync(first, "test")).Accepted);
        var yarp = applier.GetConfig();

        Assert.True((await applier.ApplyAsync(first with { Version = "v2", AgentDirectory = ImmutableDictionary<string, string>.Empty.Add("a", "10.0.0.1:8080") }, "test")).Accepted);
        var afterDirectory = applier.GetConfig();
        var changedAfterDirectory = yarp.ChangeToken.HasChanged;
        var versionAfterDirectory = applier.Current.Snapshot.Version;
        var busAfterDirectory = directory.Entries.Count;
        Assert.True((await applier.ApplyAsync(first with { Version = "v3", Routes = [new Contracts.Config.OutboundRoute { Host = "orders.example", Cluster = "orders" }] }, "test")).Accepted);

        Assert.Same(yarp, afterDirectory);
        Assert.False(changedAfterDirectory);
        Assert.Equal("v2", versionAfterDirectory);
        Assert.Equal(1, busAfterDirectory);
        Assert.True(yarp.ChangeToken.HasChanged);
        Assert.NotSame(yarp, applier.GetConfig());
        Assert.Equal("v3", applier.Current.Snapshot.Version);
        Assert.Empty(directory.Entries);
        Assert.False(ConfigApplier.OnlyAgentDirectoryChanged(first, first with { Routes = [] }));
        Assert.True(ConfigApplier.OnlyAgentDirectoryChanged(first, first with { Version = "x", AgentDirectory = ImmutableDictionary<string, string>.Empty.Add("b", "10.0.0.2:1") }));
    }
}
