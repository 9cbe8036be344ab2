// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using Acgs.ControlPlane.HealthAggregation;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using Acgs.Core.Redis;
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

    /// <summary>Bearer token sidecars present on watch/ACK (<c>ACGS_SIDECAR_TOKEN</c>, <c>ControlPlane:SidecarToken</c>). Null = not required.</summary>
    public string? SidecarToken { get; init; }

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

    /// <summary>Reads every setting, reporting every problem at once.</summary>
    public static bool TryRead(IConfiguration configuration, out ControlPlaneOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Get(string variable, string key)
        {
            var value = configuration[variable];
            value = string.IsNullOrWhiteSpace(value) ? configuration["ControlPlane:" + key] : value;
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var problems = new List<string>();
        var result = new ControlPlaneOptions();
        if (Get("ACGS_CONTROL_PLANE_PORT", "Port") is { } port)
        {
            if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 65535)
            {
                result = result with { Port = value };
            }
            else
            {
                problems.Add("ACGS_CONTROL_PLANE_PORT must be a port number 0-65535");
            }
        }

        if (Get("ACGS_CONTROL_PLANE_BIND", "BindAddress") is { } bind)
        {
            if (bind is "*" or "localhost" || IPAddress.TryParse(bind, out _))
            {
                result = result with { BindAddress = bind };
            }
            else
            {
                problems.Add("ACGS_CONTROL_PLANE_BIND must be an IP address, 'localhost' or '*'");
            }
        }

        result = result with
        {
            AdminToken = Get("ACGS_ADMIN_TOKEN", "AdminToken"),
            SidecarToken = Get("ACGS_SIDECAR_TOKEN", "SidecarToken"),
            DataDirectory = Get("ACGS_DATA_DIR", "DataDirectory") ?? result.DataDirectory,
            RedisKeyPrefix = Get("ACGS_REDIS_PREFIX", "RedisKeyPrefix") ?? result.RedisKeyPrefix,
            ReplicaId = Get("ACGS_REPLICA_ID", "ReplicaId") ?? result.ReplicaId,
        };

        if (result.AdminToken is { Length: < 16 })
        {
            problems.Add("ACGS_ADMIN_TOKEN must be at least 16 characters");
        }

        if (Get("ACGS_WATCH_HEARTBEAT_SECONDS", "WatchHeartbeatSeconds") is { } heartbeat)
        {
            if (double.TryParse(heartbeat, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.05 and <= 300)
            {
                result = result with { WatchHeartbeat = TimeSpan.FromSeconds(seconds) };
            }
            else
            {
                problems.Add("ACGS_WATCH_HEARTBEAT_SECONDS must be a number of seconds between 0.05 and 300");
            }
        }

        var healthReportValid = true;
        if (Get("ACGS_HEALTH_REPORT_MS", "HealthReportMs") is { } healthReport)
        {
            if (int.TryParse(healthReport, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms is >= 1 and <= 600_000)
            {
                result = result with { HealthReportInterval = TimeSpan.FromMilliseconds(ms) };
            }
            else
            {
                healthReportValid = false;
                problems.Add("ACGS_HEALTH_REPORT_MS must be a number of milliseconds between 1 and 600000");
            }
        }

        if (Get("ACGS_HEALTH_FORGET_SECONDS", "HealthForgetSeconds") is { } healthForget)
        {
            if (!double.TryParse(healthForget, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is not (>= 1 and <= 86_400))
            {
                problems.Add("ACGS_HEALTH_FORGET_SECONDS must be a number of seconds between 1 and 86400");
            }
            else if (healthReportValid && TimeSpan.FromSeconds(seconds) <= result.HealthReportInterval * HealthAggregator.SilentIntervals)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"ACGS_HEALTH_FORGET_SECONDS must be longer than {HealthAggregator.SilentIntervals} health report intervals ({(result.HealthReportInterval * HealthAggregator.SilentIntervals).TotalSeconds} s, when a node counts as silent)"));
            }
            else
            {
                result = result with { HealthForgetAfter = TimeSpan.FromSeconds(seconds) };
            }
        }

        if (Get(RedisOptions.UrlVariable, "RedisUrl") is not null)
        {
            if (RedisOptions.TryParse(name => name == RedisOptions.UrlVariable ? Get(name, "RedisUrl") : configuration[name], out var redis, out var redisErrors))
            {
                result = result with { Redis = redis };
            }
            else
            {
                problems.AddRange(redisErrors);
            }
        }

        var hashes = new List<string> { Get("CONSTITUTIONAL_HASH", "ConstitutionalHash") ?? AcgsConstants.ConstitutionalHash };
        if (Get("ACGS_ACCEPTED_HASHES", "AcceptedHashes") is { } extra)
        {
            hashes.AddRange(extra.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (ConstitutionalHashSet.TryCreate(hashes, out var set, out var hashErrors))
        {
            result = result with { AcceptedHashes = set };
        }
        else
        {
            foreach (var error in hashErrors)
            {
                problems.Add("CONSTITUTIONAL_HASH/ACGS_ACCEPTED_HASHES: " + error);
            }
        }

        options = result;
        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>The settings without secrets.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ControlPlaneOptions {{ Bind = {BindAddress}:{Port}, Store = {(Redis is null ? "embedded " + DataDirectory : "redis " + Redis.RedactedUrl)}, AdminToken = {(AdminToken is null ? "unset (writes refused)" : "set")}, SidecarToken = {(SidecarToken is null ? "unset" : "set")}, Replica = {ReplicaId} }}");
}
