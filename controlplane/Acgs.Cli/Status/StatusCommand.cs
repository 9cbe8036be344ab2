// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Acgs.Cli.Api;
using Acgs.Cli.Output;

namespace Acgs.Cli.Status;

/// <summary><c>acgsctl status</c>: the mesh at a glance, from the control plane's APIs.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var output = OutputFormat.CreateOption();
        var command = new Command("status", "the mesh at a glance: control plane, health, every sidecar's pushed and ACKed config, breakers, rollouts, recovery, trust anchors")
        {
            output,
        };
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var state = await MeshState.FetchAsync(api, ct).ConfigureAwait(false);
            if (parse.GetValue(output) == OutputFormat.Json)
            {
                await context.Out.WriteLineAsync(Json.Write(state.ToJson())).ConfigureAwait(false);
            }
            else
            {
                Write(context.Out, api.BaseAddress, state, TimeProvider.System.GetUtcNow());
            }

            return state.Ready.IsSuccess ? CliApplication.Ok : CliApplication.Failed;
        }, cancellationToken));
        return command;
    }

    public static void Write(TextWriter writer, Uri controlPlane, MeshState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(state);
        var ready = state.Ready.Body;
        writer.WriteLine($"control plane   {controlPlane}  {Json.Text(ready, "status") ?? "HTTP " + state.Ready.Status}  store: {Json.Text(ready, "store") ?? "-"}");
        var mesh = state.Mesh.Body;
        writer.WriteLine(state.Mesh.IsSuccess
            ? $"mesh            {Json.Text(mesh, "status")}  score {Json.Number(mesh, "score", "0.000")}  services {Json.Count(mesh, "services")}  nodes {Json.Count(mesh, "nodes")}  silent {Json.Count(mesh, "silent_nodes")}  breakers closed {Json.Count(mesh, "closed")} / half-open {Json.Count(mesh, "half_open")} / open {Json.Count(mesh, "open")}"
            : $"mesh            unknown (HTTP {state.Mesh.Status})");
        var stop = state.EmergencyStop.Body;
        writer.WriteLine(Json.Flag(stop, "engaged")
            ? $"emergency stop  ENGAGED since {Json.Text(stop, "engaged_at")} by {Json.Text(stop, "engaged_by")}: {Json.Text(stop, "reason")}"
            : "emergency stop  off");
        writer.WriteLine("trust anchors   " + TrustAnchors(state.TrustBundle, now));
        writer.WriteLine();

        var sidecars = new Table("SERVICE", "NODE", "ADDRESS", "HEALTH", "OPEN", "PUSHED", "ACKED", "CONFIG");
        foreach (var sidecar in Json.Array(state.Sidecars.Body))
        {
            var service = Json.Text(sidecar, "service_name") ?? "-";
            var node = Json.Text(sidecar, "node_id") ?? "-";
            var health = state.NodeHealth(service, node);
            var pushed = Json.Text(sidecar, "pushed_version");
            var acked = Json.Text(sidecar, "acked_version");
            var nacked = Json.Text(sidecar, "nacked_version");
            var config = pushed is null ? "waiting" : acked == pushed ? "in sync" : nacked == pushed ? "NACKED" : "pending";
            var healthText = health is null ? "no report" : Json.Flag(health, "silent") ? "silent" : "reporting";
            sidecars.Add(service, node, Json.Text(sidecar, "address"), healthText, health is null ? null : Json.Count(health, "open").ToString(CultureInfo.InvariantCulture), pushed, acked, config);
        }

        if (sidecars.Count == 0)
        {
            writer.WriteLine("no sidecar is connected");
        }
        else
        {
            sidecars.WriteTo(writer);
        }

        WriteServices(writer, state);
        WriteRollouts(writer, state);
        WriteRecovery(writer, state);
    }

    private static void WriteServices(TextWriter writer, MeshState state)
    {
        var services = new Table("SERVICE", "STATUS", "SCORE", "NODES", "OPEN BREAKERS", "SUCCESS", "RPS", "P99", "CONFIG");
        foreach (var service in Json.Array(state.Services.Body, "services"))
        {
            services.Add(Json.Text(service, "service"), Json.Text(service, "status"), Json.Number(service, "score", "0.000"),
                Json.Array(service, "nodes").Count.ToString(CultureInfo.InvariantCulture), Json.Count(service, "open").ToString(CultureInfo.InvariantCulture),
                Percent(service, "success_rate"), Json.Number(service, "rps", "0.0"), Milliseconds(service, "p99_ms"), Json.Text(service?["config"], "config_state"));
        }

        if (services.Count > 0)
        {
            writer.WriteLine();
            services.WriteTo(writer);
        }

        var edges = new Table("EDGE", "REPORTED BY", "RPS", "SUCCESS", "P50", "P99");
        foreach (var edge in Json.Array(state.Mesh.Body, "edges"))
        {
            edges.Add($"{Json.Text(edge, "source")} -> {Json.Text(edge, "destination")}", Json.Text(edge, "reported_by"), Json.Number(edge, "rps", "0.0"),
                Percent(edge, "success_rate"), Milliseconds(edge, "p50_ms"), Milliseconds(edge, "p99_ms"));
        }

        if (edges.Count > 0)
        {
            writer.WriteLine();
            edges.WriteTo(writer);
        }
    }

    /// <summary>A 0–1 ratio as a percentage with one decimal ("99.5%"), "-" when absent.</summary>
    private static string Percent(System.Text.Json.Nodes.JsonNode? node, string name) =>
        Json.Number(node, name, "0.######") is var text && text == "-" ? text
            : (double.Parse(text, CultureInfo.InvariantCulture) * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Milliseconds with two decimals and the unit, "-" when absent.</summary>
    private static string Milliseconds(System.Text.Json.Nodes.JsonNode? node, string name) =>
        Json.Number(node, name, "0.00") is var text && text == "-" ? text : text + " ms";

    private static void WriteRollouts(TextWriter writer, MeshState state)
    {
        var rollouts = new Table("ROLLOUT", "SERVICE", "PHASE", "BLUE", "GREEN", "STEP", "LAST CHECK");
        foreach (var rollout in Json.Array(state.Rollouts.Body, "rollouts"))
        {
            var step = $"{Json.Count(rollout, "step")}/{Json.Count(rollout, "step_count")}";
            var check = rollout?["last_check"] is { } last ? (Json.Flag(last, "passed") ? "passed: " : "failed: ") + Json.Text(last, "detail") : null;
            rollouts.Add(Json.Text(rollout, "id"), Json.Text(rollout, "service"), Json.Text(rollout, "phase"), Json.Number(rollout, "blue_weight") + "%",
                Json.Number(rollout, "green_weight") + "%", step, check);
        }

        if (rollouts.Count > 0)
        {
            writer.WriteLine();
            rollouts.WriteTo(writer);
        }
    }

    private static void WriteRecovery(TextWriter writer, MeshState state)
    {
        var tasks = new Table("RECOVERY", "SERVICE", "STATE", "STRATEGY", "ATTEMPTS", "LAST RESULT");
        foreach (var task in Json.Array(state.Recovery.Body, "tasks"))
        {
            tasks.Add(Json.Number(task, "id"), Json.Text(task, "service"), Json.Text(task, "state"), Json.Text(task, "strategy"),
                $"{Json.Count(task, "attempts")}/{Json.Count(task, "max_attempts")}", Json.Text(task, "last_result"));
        }

        if (tasks.Count > 0)
        {
            writer.WriteLine();
            tasks.WriteTo(writer);
        }
    }

    /// <summary>"N, first expiry DATE (D days)" from the trust bundle's PEM anchors.</summary>
    public static string TrustAnchors(ApiResponse bundle, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        if (!bundle.IsSuccess)
        {
            return bundle.Status == 404 ? "none (identity is off)" : $"unknown (HTTP {bundle.Status})";
        }

        var earliest = DateTimeOffset.MaxValue;
        var count = 0;
        foreach (var pem in Json.Array(bundle.Body, "trust_bundle"))
        {
            using var certificate = X509Certificate2.CreateFromPem(pem?.GetValue<string>() ?? string.Empty);
            count++;
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            earliest = notAfter < earliest ? notAfter : earliest;
        }

        return count == 0
            ? "none"
            : $"{count}, first expiry {earliest:yyyy-MM-ddTHH:mm:ssZ} ({(earliest - now).TotalDays.ToString("0", CultureInfo.InvariantCulture)} days)";
    }
}
