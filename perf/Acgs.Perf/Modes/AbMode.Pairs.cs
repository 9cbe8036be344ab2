// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Running;
using Acgs.Perf.Ab;
using Acgs.Perf.Lab;
using Acgs.Perf.Reporting;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Modes;

/// <summary>The pair variants of <c>./acgs perf ab --variants mtls</c> (Lab/PerfLab.Pairs.cs): the hop table with each
/// sidecar's CPU per request, new TLS handshakes per second and the p90 goal (Ab/AbHopSummary).</summary>
internal static partial class AbMode
{
    private static readonly HttpClient IdentityHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<JsonObject> PairsAsync(List<Target> targets, PerfSettings settings, List<AbSlice> samples, List<AbRow> rows,
        Dictionary<string, List<RunResult>> rounds, (Dictionary<string, double?> Handshakes, Dictionary<string, double?> Certificates) before, PerfReport report, CancellationToken ct)
    {
        var figures = new Dictionary<string, AbHopFigures>(StringComparer.Ordinal);
        foreach (var t in targets)
        {
            var runs = rounds[t.Name];
            var handshakes = await HandshakesAsync(t, ct).ConfigureAwait(false) is { } h1 && before.Handshakes[t.Name] is { } h0 ? h1 - h0 : (double?)null;
            var certificates = await CertificatesAsync(t, ct).ConfigureAwait(false) is { } c1 && before.Certificates[t.Name] is { } c0 ? c1 - c0 : (double?)null;
            figures[t.Name] = new AbHopFigures(
                LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(50) ?? double.NaN)),
                LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(90) ?? double.NaN)),
                LoadRuns.Median(runs.Select(r => r.Stats?.LatencyMs(99) ?? double.NaN)),
                handshakes, settings.Rounds * settings.Duration.TotalSeconds, runs.TrueForAll(r => r.IsValid), certificates);
        }

        var hopRows = AbHopSummary.Rows(settings.Variants, samples, figures);
        report.Line();
        report.Markdown(AbHopSummary.Markdown(hopRows));
        report.Line();
        report.Line("Pairs: load generator → client sidecar (outbound) → server sidecar (inbound) → backend, identities from the local control plane. Client and server CPU: each process tree's share of the slice's CPU ÷ its requests (medians of slices; the two medians need not add up to the median of both). New TLS handshakes: acgs_mtls_handshakes_total{direction=\"inbound\"} of the server sidecar over the measured time (connections the client sidecar opened while loaded; pooled connections are reused). p90 Δ: each slice's end-to-end p90 minus the baseline's slice of the same round and number. Certificates renewed: GET /identity certificates_obtained of both sidecars over the measured time" + (settings.CertTtl is { } ttl ? $" (ACGS_CERT_TTL={ttl}: renewed at about half of it while loaded; every round above counts failed requests)." : "."));
        foreach (var r in hopRows.Where(r => r.Variant.Baseline is not null))
        {
            var cpuRow = rows.Find(x => x.Variant.Name == r.Variant.Name);
            report.Line(string.Create(Inv, $"ab: {r.Variant.Name} vs {r.Variant.Baseline}: CPU/request of both sidecars {(cpuRow?.CpuRatio is { } cr ? AbSummary.Percent(cr) : "n/a")} — {cpuRow?.Verdict ?? "n/a"}; end-to-end p90 {(r.P90DeltaMs is { } d ? d.ToString("+0.000;-0.000", Inv) : "n/a")} ms (median of paired slices) — {(r.Variant.P90GoalMs is { } g ? string.Create(Inv, $"goal ≤ +{g:0.0##} ms: ") : "")}{r.P90Verdict}; new TLS handshakes {(r.HandshakesPerSecond is { } hs ? hs.ToString("0.00", Inv) : "n/a")}/s"));
        }

        return AbHopSummary.Json(hopRows);
    }

    // Workload certificates both sidecars of a pair obtained so far (GET /identity certificates_obtained); else null.
    private static async Task<double?> CertificatesAsync(Target t, CancellationToken ct)
    {
        if (t.PeerAdminUri is not { } peer || t.AdminUri is not { } own)
        {
            return null;
        }

        double total = 0;
        foreach (var admin in (Uri[])[own, peer])
        {
            using var doc = System.Text.Json.JsonDocument.Parse(await IdentityHttp.GetStringAsync(new Uri(admin, "identity"), ct).ConfigureAwait(false));
            total += doc.RootElement.TryGetProperty("certificates_obtained", out var n) ? n.GetDouble() : 0;
        }

        return total;
    }

    // The server sidecar's completed inbound TLS handshakes, for a pair; else null.
    private static async Task<double?> HandshakesAsync(Target t, CancellationToken ct) =>
        t.PeerAdminUri is { } admin
            ? await SidecarStats.MetricAsync(admin, "acgs_mtls_handshakes_total{direction=\"inbound\"}", ct).ConfigureAwait(false) ?? 0
            : null;
}
