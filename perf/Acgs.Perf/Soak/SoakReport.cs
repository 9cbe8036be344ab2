// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.LoadTest.Builds;

namespace Acgs.Perf.Soak;

/// <summary>
/// What a soak measured and its verdict: every request answered 200 (the load's and the idle connections'), both
/// sidecars alive, RSS flat (the median of the last fifth of the samples at most 10 % or 20 MiB above that of the
/// second fifth, whichever is more) and no descriptor leak (at most 64 more open descriptors once the idle connections
/// are closed and the sidecars' pooled upstream connections have idled out than before they were opened). Written as report.md and report.json.
/// </summary>
internal sealed partial class SoakReport(SoakSettings settings, DateTimeOffset started, string work)
{
    /// <summary>Descriptors open that the leak check tolerates after the run (upstream pools, timers).</summary>
    public const int DescriptorTolerance = 64;

    public List<SoakSlice> Slices { get; } = [];

    public List<SoakRestart> Restarts { get; } = [];

    public IReadOnlyList<SoakSample> Samples { get; set; } = [];

    public string SidecarBuild { get; set; } = "unknown";

    /// <summary>The binaries the soak ran (path, build, modification time, hash).</summary>
    public IReadOnlyList<MeasuredBinary> Binaries { get; set; } = [];

    /// <summary>Why the sidecar build (e.g. the Native AOT publish is older than its sources).</summary>
    public string SidecarNote { get; set; } = "";

    public (int A, int B) FdsBefore { get; set; } = (-1, -1);

    public (int A, int B) FdsAfter { get; set; } = (-1, -1);

    /// <summary>Seconds after the load until the descriptors were back (or the check gave up).</summary>
    public double SettleSeconds { get; set; }

    public bool SidecarsAlive { get; set; }

    public long IdleOpened { get; set; }

    public long IdleRefused { get; set; }

    public long IdleNotOk { get; set; }

    /// <summary>Why the run is invalid, or null.</summary>
    public string? Invalid { get; set; }

    public long Requests => Slices.Sum(s => s.Requests);

    public long Failed => Slices.Sum(s => s.Failed);

    /// <summary>0 pass, 1 fail, 2 invalid.</summary>
    public int Verdict() => Invalid is not null || Slices.Count == 0 ? 2 : Checks().All(c => c.Pass) ? 0 : 1;

    /// <summary>The checks of the verdict, each with its line.</summary>
    public IReadOnlyList<(bool Pass, string Line)> Checks()
    {
        var (earlyA, lateA) = RssFifths(s => s.RssA);
        var (earlyB, lateB) = RssFifths(s => s.RssB);
        return
        [
            (Failed == 0, $"failed requests: {Failed} of {Requests} through svc-a → svc-b (goal 0)"),
            (IdleNotOk == 0 && IdleRefused == 0, $"idle connections: {IdleOpened} opened (re-opened whenever a sidecar's idle timeout closed one), {IdleRefused} refused, {IdleNotOk} requests on them not answered 200 (goal 0)"),
            (SidecarsAlive, SidecarsAlive ? "both sidecars alive at the end" : "a sidecar exited"),
            (Flat(earlyA, lateA), Inv($"RSS svc-a: {earlyA:0.0} MiB (median of the second fifth) → {lateA:0.0} MiB (last fifth)")),
            (Flat(earlyB, lateB), Inv($"RSS svc-b: {earlyB:0.0} MiB → {lateB:0.0} MiB")),
            (FdsAfter.A >= 0 && FdsAfter.A <= FdsBefore.A + DescriptorTolerance, $"descriptors svc-a: {FdsBefore.A} before the idle connections, {FdsAfter.A} {SettleSeconds} s after the load and every runner connection ended (tolerance +{DescriptorTolerance})"),
            (FdsAfter.B >= 0 && FdsAfter.B <= FdsBefore.B + DescriptorTolerance, $"descriptors svc-b: {FdsBefore.B} before, {FdsAfter.B} after"),
        ];
    }

    /// <summary>Writes report.md and report.json into <paramref name="dir"/> and the markdown to <paramref name="console"/>.</summary>
    public async Task WriteAsync(string dir, TextWriter console)
    {
        var markdown = Markdown();
        await File.WriteAllTextAsync(Path.Combine(dir, "report.md"), markdown).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.json"), Json().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n").ConfigureAwait(false);
        await console.WriteAsync(markdown).ConfigureAwait(false);
    }

    private static bool Flat(double early, double late) => early > 0 && late - early <= Math.Max(0.10 * early, 20);

    private (double Early, double Late) RssFifths(Func<SoakSample, double> rss)
    {
        var n = Samples.Count;
        if (n < 5)
        {
            return (0, 0);
        }

        return (Median(Samples.Skip(n / 5).Take(n / 5).Select(rss)), Median(Samples.Skip(n - n / 5).Select(rss)));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private JsonObject Json()
    {
        var json = new JsonObject
        {
            ["constitutional_hash"] = "cdd01ef066bc6cf2",
            ["mode"] = "soak",
            ["started"] = started.ToString("O", CultureInfo.InvariantCulture),
            ["minutes"] = settings.Duration.TotalMinutes,
            ["rate"] = settings.Rate,
            ["idle_connections"] = settings.IdleConnections,
            ["restart_every_minutes"] = settings.RestartEvery.TotalMinutes,
            ["down_seconds"] = settings.Down.TotalSeconds,
            ["sidecar_build"] = SidecarBuild,
            ["binaries"] = new JsonArray(Binaries.Select(b => (JsonNode)b.ToJson()).ToArray()),
            ["requests"] = Requests,
            ["failed"] = Failed,
            ["exit_code"] = Verdict(),
            ["invalid"] = Invalid,
            ["checks"] = new JsonArray([.. Checks().Select(c => (JsonNode)new JsonObject { ["pass"] = c.Pass, ["line"] = c.Line })]),
            ["descriptors"] = new JsonObject { ["a_before"] = FdsBefore.A, ["a_after"] = FdsAfter.A, ["b_before"] = FdsBefore.B, ["b_after"] = FdsAfter.B, ["settle_s"] = SettleSeconds },
            ["restarts"] = new JsonArray([.. Restarts.Select(r => (JsonNode)new JsonObject { ["killed_at_s"] = r.KilledAtSeconds, ["ready_s"] = r.ReadySeconds, ["reconnected_s"] = r.ReconnectedSeconds })]),
            ["slices"] = new JsonArray([.. Slices.Select(SliceJson)]),
            ["samples"] = new JsonArray([.. Samples.Select(s => (JsonNode)new JsonArray(s.Seconds, s.RssA, s.RssB, s.FdsA, s.FdsB, s.RssControlPlane, s.FdsControlPlane, s.IdleOpen))]),
            ["samples_columns"] = new JsonArray("t_s", "rss_a_mib", "rss_b_mib", "fds_a", "fds_b", "rss_cp_mib", "fds_cp", "idle_open"),
        };
        return json;
    }

    private static JsonNode SliceJson(SoakSlice s)
    {
        var statuses = new JsonObject();
        foreach (var (code, count) in s.Statuses.OrderBy(kv => kv.Key))
        {
            statuses[code.ToString(CultureInfo.InvariantCulture)] = count;
        }

        return new JsonObject { ["t_s"] = s.StartSeconds, ["requests"] = s.Requests, ["failed"] = s.Failed, ["statuses"] = statuses, ["rate"] = s.AchievedRate, ["p50_ms"] = s.P50Ms, ["p99_ms"] = s.P99Ms, ["max_ms"] = s.MaxMs };
    }

    private string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine("<!-- Constitutional Hash: cdd01ef066bc6cf2 -->");
        md.AppendLine(Inv($"# ACGS perf: soak ({started:u})"));
        md.AppendLine();
        md.AppendLine(Inv($"{settings.Duration.TotalMinutes} min at {settings.Rate} req/s (open model) through two sidecars (svc-a's outbound → svc-b's inbound → backend), {settings.IdleConnections} idle keep-alive connections held open on their inbound listeners, the control plane killed (-9) every {settings.RestartEvery.TotalMinutes} min and started {settings.Down.TotalSeconds} s later. Sidecar build: {SidecarBuild}. Machine: {Environment.ProcessorCount} CPUs, shared. Process logs: {work}."));
        md.AppendLine();
        md.AppendLine($"Binaries ({SidecarNote}): " + string.Join("; ", Binaries.Select(b => b.Describe(settings.Root))));
        md.AppendLine();
        md.AppendLine(Verdict() switch { 0 => "**Verdict: pass**", 1 => "**Verdict: fail**", _ => "**Verdict: invalid** — " + (Invalid ?? "no load slice ran") });
        md.AppendLine();
        foreach (var (pass, line) in Invalid is null ? Checks() : [])
        {
            md.AppendLine((pass ? "- pass: " : "- FAIL: ") + line);
        }

        AppendTables(md);
        return md.ToString();
    }
}
