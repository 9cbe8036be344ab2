// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Testing;

namespace Acgs.Cli.Tests.Operations;

/// <summary>
/// acgsctl check against a control plane of its own: the other operations tests activate mesh-wide policies, whose
/// rebuild can push a newer snapshot to this test's watcher after it NACKed the one it asserts on.
/// </summary>
public sealed class CheckCommandTests : IClassFixture<ControlPlaneProcess>
{
    private readonly ControlPlaneProcess _cp;

    public CheckCommandTests(ControlPlaneProcess cp) => _cp = cp;

    private Dictionary<string, string> Env() => new()
    {
        ["ACGS_CONTROL_PLANE_URL"] = _cp.Url.ToString(),
        ["ACGS_ADMIN_TOKEN"] = ControlPlaneProcess.AdminToken,
    };

    [Fact]
    public async Task Check_SidecarNackedItsSnapshot_FailsNamingItThenPassesAfterAck()
    {
        var (version, nonce) = await _cp.WatchAsync("cli-check", "node-1", 19003);
        await _cp.AckAsync("cli-check", "node-1", version, nonce, accepted: false);

        var failed = CliRun.Invoke(["check"], environment: Env());
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains(failed.Stdout.Split('\n'), l => l.StartsWith("[FAIL]", StringComparison.Ordinal) && l.Contains("cli-check/node-1: rejected " + version) && l.Contains("no endpoints"));

        await _cp.AckAsync("cli-check", "node-1", version, nonce);
        var lines = CliRun.Invoke(["check"], environment: Env()).Stdout.Split('\n');
        Assert.DoesNotContain(lines, l => l.Contains("cli-check/node-1"));
        Assert.Contains(lines, l => l.StartsWith("[ok]", StringComparison.Ordinal) && l.Contains("control plane"));
        Assert.Contains(lines, l => l.StartsWith("[ok]", StringComparison.Ordinal) && l.Contains("audit chain"));
    }
}
