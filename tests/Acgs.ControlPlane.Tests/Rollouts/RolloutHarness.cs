// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Rollouts;
using Acgs.ControlPlane.Store;
using Acgs.ControlPlane.Telemetry;
using Acgs.Core.ConstitutionalHash;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Rollouts;

/// <summary>
/// A real rollout manager over a real embedded store, policy registry, service directory and health aggregator, on fake
/// time. Health reports given with <see cref="Report"/> are repeated on every simulated second (as sidecars do), so nodes
/// never fall silent unless <see cref="Silence"/> says so.
/// </summary>
internal sealed class RolloutHarness : IAsyncDisposable
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(5);

    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private readonly Dictionary<(string Service, string Node), HealthReport> _reports = [];

    private RolloutHarness(RolloutOptions options)
    {
        Options = options;
        Store = new EmbeddedPolicyStore(_directory);
        Registry = new PolicyRegistry(Store, new ContractPolicyContentValidator(ConstitutionalHashSet.Default), Time, []);
        Directory = new ServiceDirectory(new ControlPlaneOptions(), Time);
        Metrics = new ControlPlaneMetrics();
        Health = new HealthAggregator(ReportInterval, Time, Metrics);
        Manager = NewManager();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    public RolloutOptions Options { get; }

    public EmbeddedPolicyStore Store { get; }

    public PolicyRegistry Registry { get; }

    public ServiceDirectory Directory { get; }

    public ControlPlaneMetrics Metrics { get; private set; }

    public HealthAggregator Health { get; private set; }

    public RolloutManager Manager { get; private set; }

    /// <summary>The state file of the manager (beside the embedded store, as in the host).</summary>
    public string StatePath => Path.Combine(_directory, RolloutStateFile.FileName);

    /// <summary>
    /// A control-plane restart as far as rollouts go: a new manager (loading the state file) and a new, empty health
    /// aggregation; the sidecars' reports resume on the next simulated second.
    /// </summary>
    public void Restart()
    {
        Manager.Dispose();
        Metrics = new ControlPlaneMetrics();
        Health = new HealthAggregator(ReportInterval, Time, Metrics);
        Manager = NewManager();
    }

    /// <summary>Starts with sidecars registered for <c>checkout</c> and <c>checkout-v2</c>, both reporting all breakers closed.</summary>
    public static async Task<RolloutHarness> StartAsync(RolloutOptions? options = null)
    {
        var harness = new RolloutHarness(options ?? new RolloutOptions());
        await harness.Store.InitializeAsync(CancellationToken.None);
        await harness.Directory.RegisterAsync("checkout", "blue-1", "127.0.0.1:17001");
        await harness.Directory.RegisterAsync("checkout-v2", "green-1", "127.0.0.1:17002");
        harness.Report("checkout", "blue-1", closed: 3);
        harness.Report("checkout-v2", "green-1", closed: 3);
        return harness;
    }

    /// <summary>A canary request for checkout → checkout-v2.</summary>
    public static CreateRolloutRequest Canary(params RolloutStepRequest[] steps) =>
        new(Service: "checkout", BlueCluster: "checkout", GreenCluster: "checkout-v2", Steps: steps);

    /// <summary>Records (and keeps repeating) a report of <paramref name="closed"/> closed and <paramref name="open"/> open breakers.</summary>
    public void Report(string service, string node, int closed, int open = 0)
    {
        var clusters = new List<ClusterHealth?>();
        for (var i = 0; i < closed; i++)
        {
            clusters.Add(new ClusterHealth("up-closed-" + i, "closed"));
        }

        for (var i = 0; i < open; i++)
        {
            clusters.Add(new ClusterHealth("up-open-" + i, "open"));
        }

        var report = new HealthReport(clusters, null, null);
        _reports[(service, node)] = report;
        Health.Report(service, node, report);
    }

    /// <summary>Records (and keeps repeating) a report of named breakers, e.g. a caller's view of the green cluster.</summary>
    public void ReportClusters(string service, string node, params (string Name, string State)[] clusters)
    {
        var report = new HealthReport([.. clusters.Select(c => (ClusterHealth?)new ClusterHealth(c.Name, c.State))], null, null);
        _reports[(service, node)] = report;
        Health.Report(service, node, report);
    }

    /// <summary>Stops repeating a node's report (it falls silent).</summary>
    public void Silence(string service, string node) => _reports.Remove((service, node));

    /// <summary>Advances fake time second by second, re-sending the reports and running one controller pass per second.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        var left = by;
        while (left > TimeSpan.Zero)
        {
            var step = left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1);
            Time.Advance(step);
            left -= step;
            foreach (var ((service, node), report) in _reports)
            {
                Health.Report(service, node, report);
            }

            await Manager.ReconcileAsync(CancellationToken.None);
        }
    }

    /// <summary>The active TrafficSplit of checkout, or null.</summary>
    public async Task<TrafficSplitSpec?> SplitAsync(string service = "checkout") =>
        RolloutSplitWriter.CurrentSplit(await ActivePolicies.LoadAsync(Store, CancellationToken.None), service)?.Document.Spec as TrafficSplitSpec;

    /// <summary>The green weight of the active split of checkout (-1 without one).</summary>
    public async Task<int> GreenWeightAsync() => (await SplitAsync())?.GreenWeight ?? -1;

    /// <summary>How many versions the rollout policy of checkout has.</summary>
    public async Task<int> VersionCountAsync(string policyId = "rollout.checkout") =>
        (await Store.GetAsync(policyId, CancellationToken.None))?.Versions.Length ?? 0;

    public async Task<IReadOnlyList<AuditEntry>> AuditAsync() => await Store.ReadAuditAsync(CancellationToken.None);

    /// <summary>The current value of a sample in the control plane's registry, e.g. <c>acgs_controlplane_rollout_rollbacks_total{reason="aborted"}</c>.</summary>
    public async Task<double?> MetricAsync(string sample)
    {
        using var stream = new MemoryStream();
        await Metrics.Registry.CollectAndExportAsTextAsync(stream);
        foreach (var line in System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n'))
        {
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(sample.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private RolloutManager NewManager() =>
        new(Registry, Directory, new RolloutSplitWriter(Registry, ConstitutionalHashSet.Default), new RolloutAnalyzer(Health),
            new RolloutMetrics(Metrics), Options, new RolloutStateFile(StatePath), Time, NullLogger<RolloutManager>.Instance);

    public ValueTask DisposeAsync()
    {
        Manager.Dispose();
        if (System.IO.Directory.Exists(_directory))
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
