// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Lab;

/// <summary>Starting one sidecar as it ships, shared by the labs of every mode, the mTLS pairs and the soak's mesh.</summary>
internal sealed partial class PerfLab
{
    /// <summary>Starts one sidecar in front of the backend on loopback with <paramref name="extra"/> on top of its listener settings
    /// (free ports for every listener; <see cref="AdminToken"/> as its admin API token unless <paramref name="extra"/> sets another)
    /// and waits until it is ready (and, with <paramref name="probeInbound"/>, serves a plaintext request at its inbound port).
    /// <paramref name="start"/> starts the process (name, file, arguments, environment, inherit the runner's environment: always false here).</summary>
    internal static async Task<(ChildProcess Process, Uri Inbound, Uri Outbound, Uri Admin)> SpawnSidecarAsync(
        Func<string, string, IEnumerable<string>, IReadOnlyDictionary<string, string>, bool, ChildProcess> start,
        string binary, int backendPort, string name, IReadOnlyDictionary<string, string> extra, bool probeInbound, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(extra);
        int inbound = FreePort.Next(), outbound = FreePort.Next(), admin = FreePort.Next(), bus = FreePort.Next(), busHttp = FreePort.Next();
        // As it ships: an empty environment but for the sidecar's own settings (its runtime settings are
        // built in; the gate checks them on GET /runtime), not the runner's tuned DOTNET_* variables.
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ACGS_APP_HOST"] = "127.0.0.1",
            ["ACGS_APP_PORT"] = Inv(backendPort),
            ["ACGS_INBOUND_ADDRESS"] = "127.0.0.1",
            ["ACGS_INBOUND_PORT"] = Inv(inbound),
            ["ACGS_OUTBOUND_ADDRESS"] = "127.0.0.1",
            ["ACGS_OUTBOUND_PORT"] = Inv(outbound),
            ["ACGS_ADMIN_ADDRESS"] = "127.0.0.1",
            ["ACGS_ADMIN_PORT"] = Inv(admin),
            ["ACGS_BUS_ADDRESS"] = "127.0.0.1",
            ["ACGS_BUS_PORT"] = Inv(bus),
            ["ACGS_BUS_HTTP_PORT"] = Inv(busHttp),
            ["ACGS_ADMIN_API_TOKEN"] = AdminToken, // POST /stats/latency/reset needs it (docs/sidecar-config.md)
        };
        foreach (var kv in extra)
        {
            env[kv.Key] = kv.Value;
        }

        var p = binary.EndsWith(".dll", StringComparison.Ordinal) ? start(name, "dotnet", [binary], env, false) : start(name, binary, [], env, false);
        var adminUri = Loopback(admin);
        await ReadyAsync(p, new Uri(adminUri, "health/ready"), ct).ConfigureAwait(false);
        var uri = Loopback(inbound);
        if (probeInbound)
        {
            await ReadyAsync(p, uri, ct, hashHeader: true).ConfigureAwait(false);
        }

        return (p, uri, Loopback(outbound), adminUri);
    }
}
