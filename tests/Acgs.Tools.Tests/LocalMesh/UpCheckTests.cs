// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;

namespace Acgs.Tools.Tests.LocalMesh;

/// <summary>
/// <c>./acgs up --check</c>: the whole local mesh (control plane + six demo apps each behind a sidecar) really
/// started, checked and stopped. Runs on ports offset by <see cref="Offset"/> so it does not meet a running <c>./acgs up</c>.
/// </summary>
[Collection(LocalMeshGroup.Name)]
public sealed class UpCheckTests
{
    private const int Offset = 2000;

    // Control plane, then every sidecar's admin and inbound port and every demo app port of deploy/local/mesh.conf.
    private static readonly int[] MeshPorts =
    [
        8000, 8080, 8081, 8082, 8083, 8084, 8085,
        15106, 15120, 15206, 15220, 15306, 15320, 15406, 15420, 15506, 15520, 15606, 15620,
    ];

    [Fact]
    public void UpCheck_FreshMesh_PassesEveryCheckAndLeavesNoProcessListening()
    {
        string[] arguments = UpScript.BinariesExist()
            ? ["--check", "--no-build", "--port-offset", "2000"]
            : ["--check", "--port-offset", "2000"];

        var result = UpScript.Run(TimeSpan.FromMinutes(6), arguments);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("check passed", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", result.Output, StringComparison.Ordinal);
        foreach (var service in new[] { "rust-message-bus", "deliberation-layer", "constraint-generation", "vector-search", "audit-ledger", "adaptive-governance" })
        {
            Assert.Contains($"ok   {service} inbound", result.Output, StringComparison.Ordinal);
            Assert.Contains($"ok   {service} serves the new snapshot", result.Output, StringComparison.Ordinal);
            Assert.Contains($"ok   {service}-agent -> ", result.Output, StringComparison.Ordinal);
        }

        Assert.Contains("ok   activation -> all 6 ACKs", result.Output, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:10000", result.Output, StringComparison.Ordinal);
        foreach (var port in MeshPorts)
        {
            Assert.False(Listening(port + Offset), $"port {port + Offset} still accepts connections after ./acgs up --check exited (orphan process)\n{result}");
        }
    }

    [Theory]
    [InlineData("--bogus", "unknown option")]
    [InlineData("--port-offset", "needs a number")]
    [InlineData("--port-offset=x", "unknown option")]
    public void Up_BadArgument_FailsWithMessage(string argument, string message)
    {
        var result = UpScript.Run(TimeSpan.FromMinutes(1), argument);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_PortOffsetTooLarge_FailsBeforeStartingAnything()
    {
        var result = UpScript.Run(TimeSpan.FromMinutes(1), "--no-build", "--port-offset", "50000");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--port-offset must be 0..40000", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("starting the control plane", result.Output, StringComparison.Ordinal);
    }

    private static bool Listening(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
