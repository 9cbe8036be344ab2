// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Modes;

/// <summary>Reads the statistics the proxies expose: the sidecar's own added-latency histogram
/// (admin /stats/latency), managed bytes allocated (sidecar /metrics, plain YARP /stats/process).</summary>
internal static class SidecarStats
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) }; // admin calls of a sidecar under load on a busy host

    /// <summary>(count, p50, p90, p99, p99.9, max) of the sidecar's added latency in µs, or null.</summary>
    public static async Task<double[]?> AddedLatencyAsync(Target sidecar, CancellationToken ct)
    {
        if (sidecar.AdminUri is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(sidecar.AdminUri, "stats/latency"), ct).ConfigureAwait(false));
        var root = doc.RootElement;
        string[] names = ["count", "p50_us", "p90_us", "p99_us", "p999_us", "max_us"];
        var values = new double[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            if (!root.TryGetProperty(names[i], out var v))
            {
                return null;
            }

            values[i] = v.GetDouble();
        }

        return values;
    }

    /// <summary>The sidecar's GET /runtime document (the runtime settings in effect), or null.</summary>
    public static async Task<JsonElement?> RuntimeAsync(Target sidecar, CancellationToken ct)
    {
        if (sidecar.AdminUri is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(sidecar.AdminUri, "runtime"), ct).ConfigureAwait(false));
            return doc.RootElement.Clone();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static async Task ResetAsync(Target sidecar, CancellationToken ct)
    {
        if (sidecar.AdminUri is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(sidecar.AdminUri, "stats/latency/reset"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", PerfLab.AdminToken);
            using var response = await Http.SendAsync(request, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Managed bytes allocated so far by the proxy process, or null when it exposes none.</summary>
    public static async Task<long?> AllocatedBytesAsync(Target target, CancellationToken ct)
    {
        if (target.StatsUri is not null)
        {
            using var doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(target.StatsUri, "stats/process"), ct).ConfigureAwait(false));
            return doc.RootElement.GetProperty("allocated_bytes").GetInt64();
        }

        if (target.AdminUri is not null)
        {
            var own = await AdminAllocatedBytesAsync(target.AdminUri, ct).ConfigureAwait(false);
            if (target.PeerAdminUri is null || own is null)
            {
                return own;
            }

            return await AdminAllocatedBytesAsync(target.PeerAdminUri, ct).ConfigureAwait(false) is { } peer ? own + peer : null;
        }

        return null;
    }

    private static async Task<long?> AdminAllocatedBytesAsync(Uri admin, CancellationToken ct)
    {
        // .NET 9+ runtime meter (System.Runtime dotnet.gc.heap.total_allocated), exported by prometheus-net.
        var bytes = await MetricAsync(admin, "system_runtime_dotnet_gc_heap_total_allocated", ct).ConfigureAwait(false)
            ?? await MetricAsync(admin, "dotnet_gc_heap_total_allocated", ct, exact: false).ConfigureAwait(false);
        return bytes is { } b ? (long)b : null;
    }

    /// <summary>The value of the first series of the sidecar's admin <c>/metrics</c> whose line starts with
    /// <paramref name="series"/> followed by a space or '{' (e.g. <c>acgs_mtls_handshakes_total{direction="inbound"}</c>),
    /// or null when there is none; not <paramref name="exact"/>: any line starting with it.</summary>
    public static async Task<double?> MetricAsync(Uri admin, string series, CancellationToken ct, bool exact = true)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(series);
        var text = await Http.GetStringAsync(new Uri(admin, "metrics"), ct).ConfigureAwait(false);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > series.Length && line.StartsWith(series, StringComparison.Ordinal) && (!exact || line[series.Length] is ' ' or '{')
                && double.TryParse(line[(line.LastIndexOf(' ') + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
        }

        return null;
    }
}
