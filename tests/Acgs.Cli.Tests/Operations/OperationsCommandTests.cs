// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Testing;

namespace Acgs.Cli.Tests.Operations;

/// <summary>acgsctl's control-plane commands against the built control plane, run as a child process.</summary>
public sealed class OperationsCommandTests : IClassFixture<ControlPlaneProcess>
{
    private const string Breaker = """
        {"kind":"CircuitBreaker","name":"NAME","target":"mesh","constitutional_hash":"cdd01ef066bc6cf2","spec":{"fail_max":7,"reset_timeout_seconds":30,"failure_statuses":[502,503,504]}}
        """;

    private readonly ControlPlaneProcess _cp;

    public OperationsCommandTests(ControlPlaneProcess cp) => _cp = cp;

    private Dictionary<string, string> Env(string? token = ControlPlaneProcess.AdminToken)
    {
        var env = new Dictionary<string, string> { ["ACGS_CONTROL_PLANE_URL"] = _cp.Url.ToString() };
        if (token is not null)
        {
            env["ACGS_ADMIN_TOKEN"] = token;
        }

        return env;
    }

    [Fact]
    public async Task Status_SidecarPushedButNotAcked_ShowsPendingThenInSync()
    {
        var (version, nonce) = await _cp.WatchAsync("cli-status", "node-1", 19001);

        var before = CliRun.Invoke(["status"], environment: Env());
        Assert.Equal(0, before.ExitCode);
        var row = before.Stdout.Split('\n').Single(l => l.StartsWith("cli-status ", StringComparison.Ordinal));
        Assert.Contains("node-1", row);
        Assert.Contains("pending", row);

        await _cp.AckAsync("cli-status", "node-1", version, nonce);
        var after = CliRun.Invoke(["status"], environment: Env());
        var synced = after.Stdout.Split('\n').Single(l => l.StartsWith("cli-status ", StringComparison.Ordinal));
        Assert.Contains("in sync", synced);
        Assert.Contains(version, synced);
        Assert.Contains("control plane   " + _cp.Url, after.Stdout);
    }

    [Fact]
    public async Task Status_GoldenMetricsReported_ShowsSuccessRpsAndP99PerServiceAndEdge()
    {
        var (version, nonce) = await _cp.WatchAsync("cli-golden", "node-1", 19004);
        await _cp.AckAsync("cli-golden", "node-1", version, nonce);
        await _cp.ReportAsync("cli-golden", "node-1", """
            {"clusters":[{"name":"vector-search","state":"open"}],"golden":{"window_ms":5000,"edges":[
              {"direction":"outbound","peer":"vector-search","requests":12,"errors":12,"p50_ms":0.5,"p99_ms":1.25},
              {"direction":"inbound","peer":"frontend","requests":100,"errors":0,"p50_ms":0.25,"p99_ms":3.5}]}}
            """);

        var run = CliRun.Invoke(["status"], environment: Env());

        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("SERVICE ", StringComparison.Ordinal) && l.Contains("SUCCESS") && l.Contains("RPS") && l.Contains("P99"));
        var service = lines.Single(l => l.StartsWith("cli-golden ", StringComparison.Ordinal) && l.Contains("critical"));
        Assert.Contains("89.3%", service); // 1 - 12/112
        Assert.Contains("20.0", service); // 100 inbound requests in 5 s
        Assert.Contains("3.50 ms", service);
        Assert.Contains("in_sync", service);
        var edge = lines.Single(l => l.StartsWith("cli-golden -> vector-search ", StringComparison.Ordinal));
        Assert.Contains("source", edge);
        Assert.Contains("2.4", edge);
        Assert.Contains("0.0%", edge);
        Assert.Contains("1.25 ms", edge);
        Assert.Contains(lines, l => l.StartsWith("frontend -> cli-golden ", StringComparison.Ordinal) && l.Contains("100.0%"));
    }

    [Fact]
    public async Task Status_JsonOutput_IsTheControlPlanesViews()
    {
        await _cp.WatchAsync("cli-json", "node-1", 19002);

        var run = CliRun.Invoke(["status", "--output", "json"], environment: Env());

        Assert.Equal(0, run.ExitCode);
        var json = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("ready", json["ready"]!["status"]!.GetValue<string>());
        Assert.Contains(json["sidecars"]!.AsArray(), s => s!["service_name"]!.GetValue<string>() == "cli-json");
    }

    [Fact]
    public void PolicyApply_BareDocumentWithActivate_StoresAndActivates()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, Breaker.Replace("NAME", "cli-breaker", StringComparison.Ordinal));

        var run = CliRun.Invoke(["policy", "apply", "-f", file, "--version", "1.0.0", "--activate"], environment: Env());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("policy cli-breaker: version 1.0.0 active", run.Stdout);
        var list = CliRun.Invoke(["policy", "list"], environment: Env());
        Assert.Contains(list.Stdout.Split('\n'), l => l.StartsWith("cli-breaker ", StringComparison.Ordinal) && l.Contains("1.0.0"));
        var history = JsonNode.Parse(CliRun.Invoke(["policy", "history", "cli-breaker"], environment: Env()).Stdout)!.AsArray();
        Assert.Equal("active", Assert.Single(history)!["status"]!.GetValue<string>());
        File.Delete(file);
    }

    [Fact]
    public void PolicyLifecycle_ValidateDeactivateDelete_EachAnswersAndDeleteNeedsDeactivation()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, Breaker.Replace("NAME", "cli-life", StringComparison.Ordinal).Replace("\"mesh\"", "\"cli-life-svc\"", StringComparison.Ordinal));

        var validate = CliRun.Invoke(["policy", "validate", "-f", file], environment: Env());
        Assert.Equal(0, validate.ExitCode);
        Assert.Contains("policy cli-life: valid", validate.Stdout);
        Assert.Equal(0, CliRun.Invoke(["policy", "apply", "-f", file, "--version", "1.0.0", "--activate"], environment: Env()).ExitCode);

        var refused = CliRun.Invoke(["policy", "delete", "cli-life"], environment: Env());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("HTTP 409", refused.Stderr);
        Assert.Contains("deactivate it first", refused.Stderr);

        var deactivated = CliRun.Invoke(["policy", "deactivate", "cli-life"], environment: Env());
        Assert.Equal(0, deactivated.ExitCode);
        var deleted = CliRun.Invoke(["policy", "delete", "cli-life"], environment: Env());
        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains("policy cli-life: deleted", deleted.Stdout);
        Assert.Equal(1, CliRun.Invoke(["policy", "get", "cli-life"], environment: Env()).ExitCode);
        File.Delete(file);
    }

    [Fact]
    public void PolicyApply_InvalidContent_ExitOneListingEveryProblem()
    {
        var run = CliRun.Invoke(["policy", "apply", "-f", "-", "--version", "1.0.0"],
            """{"kind":"CircuitBreaker","name":"cli-bad","target":"mesh","spec":{"fail_max":-1}}""", Env());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("HTTP 400", run.Stderr);
        Assert.Contains("constitutional_hash", run.Stderr);
        Assert.Contains("spec.fail_max", run.Stderr);
    }

    [Fact]
    public void ChaosStop_WithoutToken_ExitOneWithTheControlPlanesProblem()
    {
        var run = CliRun.Invoke(["chaos", "stop", "--reason", "test"], environment: Env(token: null));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("HTTP 401", run.Stderr);
        Assert.DoesNotContain("engaged\": true", run.Stdout);
    }

    [Fact]
    public void ChaosStatus_TokenFromFile_ReadsTheStop()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, ControlPlaneProcess.AdminToken + "\n");
        var env = Env(token: null);
        env["ACGS_TOKEN_FILE"] = file;

        var run = CliRun.Invoke(["chaos", "status"], environment: env);

        Assert.Equal(0, run.ExitCode);
        Assert.False(JsonNode.Parse(run.Stdout)!["engaged"]!.GetValue<bool>());
        File.Delete(file);
    }

    [Fact]
    public void Status_ControlPlaneNotListening_ExitThree()
    {
        var run = CliRun.Invoke(["status", "--control-plane-url", $"http://127.0.0.1:{FreePort.Get()}"]);

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("acgsctl: the control plane did not answer:", run.Stderr, StringComparison.Ordinal);
    }
}
