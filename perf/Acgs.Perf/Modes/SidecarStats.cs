// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Modes;

/// <summary>Reads the statistics the proxies expose: the sidecar's own added-latency histogram
/// (admin /stats/latency), managed bytes allocated (sidecar /metrics, plain YARP /stats/process).</summary>
internal static class SidecarStats
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

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
            var text = await Http.GetStringAsync(new Uri(target.AdminUri, "metrics"), ct).ConfigureAwait(false);
            foreach (var line in text.Split('\n'))
            {
                // .NET 9+ runtime meter (System.Runtime dotnet.gc.heap.total_allocated), exported by prometheus-net.
                if (line.StartsWith("system_runtime_dotnet_gc_heap_total_allocated ", StringComparison.Ordinal)
                    || line.StartsWith("dotnet_gc_heap_total_allocated", StringComparison.Ordinal))
                {
                    var value = line[(line.LastIndexOf(' ') + 1)..];
                    if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bytes))
                    {
                        return (long)bytes;
                    }
                }
            }
        }

        return null;
    }
}
