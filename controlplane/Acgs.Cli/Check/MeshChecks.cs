// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Cli.Status;

namespace Acgs.Cli.Check;

/// <summary>The pre-flight checks of <c>acgsctl check</c>, judged from one <see cref="MeshState"/>.</summary>
internal static class MeshChecks
{
    /// <summary>Clocks further apart than this fail the check (certificate validity and health windows depend on them).</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(5);

    /// <summary>A trust anchor expiring sooner than this is a warning; an expired one fails.</summary>
    public static readonly TimeSpan AnchorWarning = TimeSpan.FromDays(30);

    public static IReadOnlyList<CheckResult> Run(MeshState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var results = new List<CheckResult>
        {
            state.Ready.IsSuccess
                ? CheckResult.Ok("control plane", "ready")
                : CheckResult.Fail("control plane", $"not ready (HTTP {state.Ready.Status}: {Json.Text(state.Ready.Body, "status") ?? "no status"})"),
        };
        var store = Json.Text(state.Ready.Body, "store");
        results.Add(store is not null && store.Contains("reachable", StringComparison.Ordinal) && !store.Contains("unreachable", StringComparison.Ordinal)
            ? CheckResult.Ok("store", store)
            : CheckResult.Fail("store", store ?? "unknown"));
        results.Add(Clock(state, now));
        results.Add(Anchors(state, now));
        results.Add(state.Audit.IsSuccess && Json.Flag(state.Audit.Body, "chain_valid")
            ? CheckResult.Ok("audit chain", "valid")
            : CheckResult.Fail("audit chain", state.Audit.IsSuccess ? "broken: " + (Json.Text(state.Audit.Body, "reason") ?? "?") : $"unknown (HTTP {state.Audit.Status})"));
        results.AddRange(Sidecars(state));
        results.Add(Health(state));
        results.Add(Json.Flag(state.EmergencyStop.Body, "engaged")
            ? CheckResult.Warn("emergency stop", "engaged: " + Json.Text(state.EmergencyStop.Body, "reason"))
            : CheckResult.Ok("emergency stop", "off"));
        return results;
    }

    private static CheckResult Clock(MeshState state, DateTimeOffset now)
    {
        if (state.Ready.Date is not { } date)
        {
            return CheckResult.Warn("clock", "the control plane sent no Date header");
        }

        // Date has a resolution of one second: allow for it.
        var skew = (date - now).Duration() - TimeSpan.FromSeconds(1);
        var text = $"{Math.Max(0, skew.TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture)} s apart from this machine";
        return skew > MaxClockSkew ? CheckResult.Fail("clock", text + $" (more than {MaxClockSkew.TotalSeconds:0} s)") : CheckResult.Ok("clock", text);
    }

    private static CheckResult Anchors(MeshState state, DateTimeOffset now)
    {
        if (state.TrustBundle.Status == 404)
        {
            return CheckResult.Warn("trust anchors", "identity is off: sidecar-to-sidecar traffic is plaintext");
        }

        var text = StatusCommand.TrustAnchors(state.TrustBundle, now);
        var earliest = DateTimeOffset.MaxValue;
        foreach (var pem in Json.Array(state.TrustBundle.Body, "trust_bundle"))
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem?.GetValue<string>() ?? string.Empty);
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            earliest = notAfter < earliest ? notAfter : earliest;
        }

        return earliest == DateTimeOffset.MaxValue ? CheckResult.Fail("trust anchors", text)
            : earliest <= now ? CheckResult.Fail("trust anchors", "expired: " + text)
            : earliest - now < AnchorWarning ? CheckResult.Warn("trust anchors", "rotate soon: " + text)
            : CheckResult.Ok("trust anchors", text);
    }

    private static IEnumerable<CheckResult> Sidecars(MeshState state)
    {
        var sidecars = Json.Array(state.Sidecars.Body);
        if (!state.Sidecars.IsSuccess)
        {
            yield return CheckResult.Fail("sidecars", $"unknown (HTTP {state.Sidecars.Status})");
            yield break;
        }

        if (sidecars.Count == 0)
        {
            yield return CheckResult.Warn("sidecars", "none connected");
            yield break;
        }

        var converged = 0;
        foreach (var sidecar in sidecars)
        {
            var who = $"{Json.Text(sidecar, "service_name")}/{Json.Text(sidecar, "node_id")}";
            var pushed = Json.Text(sidecar, "pushed_version");
            var acked = Json.Text(sidecar, "acked_version");
            if (pushed is null)
            {
                yield return CheckResult.Fail("sidecar config", who + ": no snapshot pushed yet");
            }
            else if (acked == pushed)
            {
                converged++;
            }
            else if (Json.Text(sidecar, "nacked_version") == pushed)
            {
                var errors = Json.Array(sidecar, "last_errors");
                yield return CheckResult.Fail("sidecar config", $"{who}: rejected {pushed}" + (errors.Count > 0 ? ": " + errors[0] : string.Empty));
            }
            else
            {
                yield return CheckResult.Fail("sidecar config", $"{who}: pushed {pushed}, ACKed {acked ?? "nothing"}");
            }
        }

        if (converged == sidecars.Count)
        {
            yield return CheckResult.Ok("sidecar config", $"all {converged} sidecars ACKed their latest snapshot");
        }
    }

    private static CheckResult Health(MeshState state)
    {
        var mesh = state.Mesh.Body;
        if (!state.Mesh.IsSuccess)
        {
            return CheckResult.Fail("mesh health", $"unknown (HTTP {state.Mesh.Status})");
        }

        var status = Json.Text(mesh, "status") ?? "unknown";
        var text = $"{status}, score {Json.Number(mesh, "score", "0.000")}, {Json.Count(mesh, "open")} open breaker(s), {Json.Count(mesh, "silent_nodes")} silent node(s)";
        return status == "critical" ? CheckResult.Fail("mesh health", text)
            : status != "healthy" || Json.Count(mesh, "open") > 0 || Json.Count(mesh, "silent_nodes") > 0 ? CheckResult.Warn("mesh health", text)
            : CheckResult.Ok("mesh health", text);
    }
}
