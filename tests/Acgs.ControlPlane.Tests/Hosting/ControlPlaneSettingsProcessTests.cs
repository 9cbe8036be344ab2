// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Testing;

namespace Acgs.ControlPlane.Tests.Hosting;

/// <summary>The built control plane, started as a process with invalid settings, refuses to start: exit code 2, one line per problem.</summary>
public sealed class ControlPlaneSettingsProcessTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Start_TwoInvalidSettings_ExitCode2AndOneLinePerProblem()
    {
        var (exitCode, stdout, stderr) = await BuiltProgram.RunAsync(
            BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"),
            new Dictionary<string, string> { ["ACGS_CONTROL_PLANE_PORT"] = "70000", ["ACGS_RECOVERY_MAX_ATTEMPTS"] = "-1" },
            Timeout);

        Assert.Equal(2, exitCode);
        Assert.Equal(
        [
            "acgs-control-plane: ACGS_CONTROL_PLANE_PORT: must be a port number from 0 to 65535 (got '70000')",
            "acgs-control-plane: ACGS_RECOVERY_MAX_ATTEMPTS: must be a whole number from 1 to 100 (got '-1')",
        ], stderr);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Start_InvalidSettingsAcrossEveryPart_EachReportedOnceWithoutStackTraceOrSecret()
    {
        const string Token = "short-s3cr3t";
        var (exitCode, _, stderr) = await BuiltProgram.RunAsync(
            BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"),
            new Dictionary<string, string>
            {
                ["ACGS_ADMIN_TOKEN"] = Token,
                ["ACGS_WEBHOOK_ON_API_PORT"] = "sometimes",
                ["ACGS_INJECT_IMAGE_PULL_POLICY"] = "Sometimes",
                ["ACGS_ROLLOUT_TICK_MS"] = "5",
                ["ACGS_RECOVERY_ENABLED"] = "perhaps",
                ["REDIS_URL"] = "redis://user:" + Token + "@h:1/x",
            },
            Timeout);

        Assert.Equal(2, exitCode);
        Assert.Equal(6, stderr.Count);
        Assert.All(stderr, static line => Assert.StartsWith("acgs-control-plane: ", line, StringComparison.Ordinal));
        foreach (var name in new[] { "ACGS_ADMIN_TOKEN", "REDIS_URL", "ACGS_WEBHOOK_ON_API_PORT", "ACGS_INJECT_IMAGE_PULL_POLICY", "ACGS_ROLLOUT_TICK_MS", "ACGS_RECOVERY_ENABLED" })
        {
            Assert.Single(stderr, line => line.StartsWith("acgs-control-plane: " + name + ": ", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(stderr, static line => line.Contains(Token, StringComparison.Ordinal) || line.Contains("Unhandled exception", StringComparison.Ordinal) || line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }
}
