// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using Acgs.Core.Redis;
using Acgs.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Hosting;

/// <summary>
/// Control-plane settings. Each has an environment variable and a config-file key
/// (<c>ControlPlane:...</c>); the variable wins. <see cref="ToString"/> never shows a token.
/// </summary>
internal sealed record ControlPlaneOptions
{
    /// <summary>API and distribution port (<c>ACGS_CONTROL_PLANE_PORT</c>, <c>ControlPlane:Port</c>). Default 8000; 0 = any free port.</summary>
    public int Port { get; init; } = 8000;

    /// <summary>Bind address (<c>ACGS_CONTROL_PLANE_BIND</c>, <c>ControlPlane:BindAddress</c>): an IP, <c>localhost</c> or <c>*</c>. Default <c>0.0.0.0</c> (sidecars must reach it).</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>Bearer token for writes (<c>ACGS_ADMIN_TOKEN</c>, <c>ControlPlane:AdminToken</c>). Null = writes refused.</summary>
    public string? AdminToken { get; init; }

    /// <summary>
    /// The shared sidecar token (<c>ACGS_SIDECAR_TOKEN</c>, <c>ControlPlane:SidecarToken</c>): the weaker bootstrap credential, which
    /// acts as any sidecar. Null = not accepted.
    /// </summary>
    public string? SidecarToken { get; init; }

    /// <summary>
    /// What the sidecar routes accept (<c>ACGS_SIDECAR_AUTH</c>, <c>ControlPlane:SidecarAuth</c>: <c>identity</c>, <c>token</c>, <c>open</c>
    /// or <c>auto</c>); resolved here, never <see cref="SidecarAuthMode.Auto"/>.
    /// </summary>
    public SidecarAuthMode SidecarAuth { get; init; } = SidecarAuthMode.Open;

    /// <summary>Bearer token with read scope (<c>ACGS_READ_TOKEN</c>, <c>ControlPlane:ReadToken</c>): reads only. Null = none.</summary>
    public string? ReadToken { get; init; }

    /// <summary>Who may read (<c>ACGS_API_READS</c>, <c>ControlPlane:ApiReads</c>: <c>token</c>, the default, or <c>open</c>).</summary>
    public ApiReadAccess ApiReads { get; init; } = ApiReadAccess.Token;

    /// <summary>Embedded store directory (<c>ACGS_DATA_DIR</c>, <c>ControlPlane:DataDirectory</c>). Default <c>./.acgs/controlplane</c>.</summary>
    public string DataDirectory { get; init; } = Path.Combine(".", ".acgs", "controlplane");

    /// <summary>Redis settings when <c>REDIS_URL</c> is set; null = the embedded store.</summary>
    public RedisOptions? Redis { get; init; }

    /// <summary>Prefix of every Redis key and channel (<c>ACGS_REDIS_PREFIX</c>). Default <c>acgs:cp:</c>.</summary>
    public string RedisKeyPrefix { get; init; } = "acgs:cp:";

    /// <summary>Accepted constitutional hashes: <c>CONSTITUTIONAL_HASH</c> first, then <c>ACGS_ACCEPTED_HASHES</c> (comma-separated).</summary>
    public ConstitutionalHashSet AcceptedHashes { get; init; } = ConstitutionalHashSet.Default;

    /// <summary>This replica's name (<c>ACGS_REPLICA_ID</c>). Default host name + process id.</summary>
    public string ReplicaId { get; init; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}");

    /// <summary>Idle keep-alive line interval on watch streams (<c>ACGS_WATCH_HEARTBEAT_SECONDS</c>). Default 15 s.</summary>
    public TimeSpan WatchHeartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The interval sidecars send health reports at (<c>ACGS_HEALTH_REPORT_MS</c>, the sidecars' setting of the same name).
    /// A node silent for 3 intervals counts as open. Default 5 s.
    /// </summary>
    public TimeSpan HealthReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The silence after which the health aggregation forgets a node (<c>ACGS_HEALTH_FORGET_SECONDS</c>,
    /// <c>ControlPlane:HealthForgetSeconds</c>): departed pods stop counting as open. Null (the default) =
    /// 60 report intervals (5 minutes at 5 s); when set, 1–86400 s and longer than 3 report intervals.
    /// </summary>
    public TimeSpan? HealthForgetAfter { get; init; }

    /// <summary>
    /// How long after a start the sidecars known before it are served while they reconnect (<c>ACGS_DISCOVERY_WARMUP_SECONDS</c>,
    /// 0–3600, 0 = off; default 60 s): a restart does not drop a destination whose sidecar has not reconnected yet.
    /// </summary>
    public TimeSpan DiscoveryWarmUp { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The config-file key of each variable (the variable wins).</summary>
    public static IReadOnlyList<(string Variable, string Key)> FileKeys { get; } =
    [
        ("ACGS_CONTROL_PLANE_PORT", "ControlPlane:Port"), ("ACGS_CONTROL_PLANE_BIND", "ControlPlane:BindAddress"),
        ("ACGS_ADMIN_TOKEN", "ControlPlane:AdminToken"), ("ACGS_SIDECAR_TOKEN", "ControlPlane:SidecarToken"),
        ("ACGS_SIDECAR_AUTH", "ControlPlane:SidecarAuth"), ("ACGS_READ_TOKEN", "ControlPlane:ReadToken"), ("ACGS_API_READS", "ControlPlane:ApiReads"),
        ("ACGS_DATA_DIR", "ControlPlane:DataDirectory"), ("ACGS_REDIS_PREFIX", "ControlPlane:RedisKeyPrefix"),
        ("ACGS_REPLICA_ID", "ControlPlane:ReplicaId"), ("ACGS_WATCH_HEARTBEAT_SECONDS", "ControlPlane:WatchHeartbeatSeconds"),
        ("ACGS_HEALTH_REPORT_MS", "ControlPlane:HealthReportMs"), ("ACGS_HEALTH_FORGET_SECONDS", "ControlPlane:HealthForgetSeconds"),
        (RedisOptions.UrlVariable, "ControlPlane:RedisUrl"), ("CONSTITUTIONAL_HASH", "ControlPlane:ConstitutionalHash"),
        ("ACGS_ACCEPTED_HASHES", "ControlPlane:AcceptedHashes"), ("ACGS_DISCOVERY_WARMUP_SECONDS", "ControlPlane:DiscoveryWarmUpSeconds"),
    ];

    /// <summary>Reads every setting from <paramref name="configuration"/>, reporting every problem at once.</summary>
    public static bool TryRead(IConfiguration configuration, out ControlPlaneOptions options, out IReadOnlyList<string> errors)
    {
        var settings = ConfigurationSettings.Reader(configuration, FileKeys);
        options = Read(settings);
        errors = settings.Problems;
        return settings.IsValid;
    }

    /// <summary>Reads every setting through <paramref name="settings"/>, which collects the problems.</summary>
    public static ControlPlaneOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = new ControlPlaneOptions();
        var result = d with
        {
            Port = settings.Port("ACGS_CONTROL_PLANE_PORT", d.Port),
            BindAddress = settings.ListenAddress("ACGS_CONTROL_PLANE_BIND", d.BindAddress),
            AdminToken = settings.Secret("ACGS_ADMIN_TOKEN", minLength: 16),
            SidecarToken = settings.Secret("ACGS_SIDECAR_TOKEN"),
            DataDirectory = settings.Text("ACGS_DATA_DIR", d.DataDirectory),
            RedisKeyPrefix = settings.Text("ACGS_REDIS_PREFIX", d.RedisKeyPrefix),
            ReplicaId = settings.Text("ACGS_REPLICA_ID", d.ReplicaId),
            WatchHeartbeat = settings.Seconds("ACGS_WATCH_HEARTBEAT_SECONDS", d.WatchHeartbeat, 0.05, 300),
            ReadToken = settings.Secret("ACGS_READ_TOKEN", minLength: 16),
            ApiReads = settings.Enum("ACGS_API_READS", d.ApiReads),
            DiscoveryWarmUp = settings.Seconds("ACGS_DISCOVERY_WARMUP_SECONDS", d.DiscoveryWarmUp, 0, 3600),
        };
        result = result with { SidecarAuth = ReadSidecarAuth(settings, result) };
        if (result.ReadToken is not null && string.Equals(result.ReadToken, result.AdminToken, StringComparison.Ordinal))
        {
            settings.Report("ACGS_READ_TOKEN", "must differ from ACGS_ADMIN_TOKEN (value not shown: it is a secret)");
        }

        var before = settings.Problems.Count;
        result = result with { HealthReportInterval = settings.Milliseconds("ACGS_HEALTH_REPORT_MS", d.HealthReportInterval, 1, 600_000) };
        var healthReportValid = settings.Problems.Count == before;
        if (settings.OptionalSeconds("ACGS_HEALTH_FORGET_SECONDS", 1, 86_400) is { } forget)
        {
            var silent = result.HealthReportInterval * HealthAggregator.SilentIntervals;
            if (forget > silent)
            {
                result = result with { HealthForgetAfter = forget };
            }
            else if (healthReportValid)
            {
                settings.Report("ACGS_HEALTH_FORGET_SECONDS", string.Create(CultureInfo.InvariantCulture,
                    $"must be longer than {HealthAggregator.SilentIntervals} health report intervals ({silent.TotalSeconds} s, when a node counts as silent)"),
                    settings.Raw("ACGS_HEALTH_FORGET_SECONDS")!);
            }
        }

        if (settings.IsSet(RedisOptions.UrlVariable))
        {
            before = settings.Problems.Count;
            var redis = RedisOptions.Read(settings);
            result = result with { Redis = settings.Problems.Count == before ? redis : null };
        }

        var hashes = new List<string> { settings.Text("CONSTITUTIONAL_HASH", AcgsConstants.ConstitutionalHash) };
        hashes.AddRange(settings.List("ACGS_ACCEPTED_HASHES", []));
        if (ConstitutionalHashSet.TryCreate(hashes, out var set, out var hashErrors))
        {
            result = result with { AcceptedHashes = set };
        }
        else
        {
            settings.ReportAll("CONSTITUTIONAL_HASH/ACGS_ACCEPTED_HASHES", hashErrors);
        }

        return result;
    }

    private static SidecarAuthMode ReadSidecarAuth(SettingsReader settings, ControlPlaneOptions options)
    {
        var mode = settings.Enum("ACGS_SIDECAR_AUTH", SidecarAuthMode.Auto);
        switch (mode)
        {
            case SidecarAuthMode.Auto:
                return options.SidecarToken is null ? SidecarAuthMode.Open : SidecarAuthMode.Token;
            case SidecarAuthMode.Identity when options.SidecarToken is not null:
                settings.Report("ACGS_SIDECAR_AUTH", "identity accepts workload credentials only: unset ACGS_SIDECAR_TOKEN, or choose token", "identity");
                break;
            case SidecarAuthMode.Token when options.SidecarToken is null:
                settings.Report("ACGS_SIDECAR_AUTH", "token needs ACGS_SIDECAR_TOKEN", "token");
                break;
        }

        return mode;
    }

    /// <summary>The settings without secrets.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ControlPlaneOptions {{ Bind = {BindAddress}:{Port}, Store = {(Redis is null ? "embedded " + DataDirectory : "redis " + Redis.RedactedUrl)}, AdminToken = {(AdminToken is null ? "unset (writes refused)" : "set")}, SidecarToken = {(SidecarToken is null ? "unset" : "set")}, SidecarAuth = {SidecarAuth}, ReadToken = {(ReadToken is null ? "unset" : "set")}, ApiReads = {ApiReads}, Replica = {ReplicaId} }}");
}
