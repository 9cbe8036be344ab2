// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// A control-plane restart loses no route: the real control plane and two real sidecars as processes, svc-a calling
/// svc-b through both while the control plane is killed (-9) and restarted; and SIGTERM ends the control plane's watch
/// streams at once, so it exits promptly with sidecars connected.
/// </summary>
public sealed class ControlPlaneRestartTests : IAsyncDisposable
{
    private readonly ControlPlaneRestartLab _lab = new("acgs-cp-restart");

    [Fact]
    public async Task Sigterm_WithConnectedSidecar_ExitsWithinTwoSeconds()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var plane = await _lab.StartControlPlaneAsync();
        await using var _ = plane;
        await using var sidecar = await _lab.StartSidecarAsync("svc-a", app.Port, plane.Address);
        await Eventually.TrueAsync(async () => (await sidecar.AdminTextAsync("config_dump")).Contains("\"source\": \"control-plane\"", StringComparison.Ordinal)
            || (await sidecar.AdminTextAsync("config_dump")).Contains("\"source\":\"control-plane\"", StringComparison.Ordinal), "the sidecar holds a watch stream");

        var (elapsed, exitCode) = await plane.TerminateAsync();

        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"the control plane took {elapsed.TotalMilliseconds:0} ms to exit after SIGTERM");
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task KillAndRestart_SteadyRequestsThroughTwoSidecars_NoFailedRequest()
    {
        await using var appB = await TestUpstream.StartAsync("svc-b");
        await using var appA = await TestUpstream.StartAsync("svc-a");
        var port = FreePort.Get();
        var plane = await _lab.StartControlPlaneAsync(port);
        try
        {
            await using var sidecarB = await _lab.StartSidecarAsync("svc-b", appB.Port, plane.Address);
            await using var sidecarA = await _lab.StartSidecarAsync("svc-a", appA.Port, plane.Address);
            using var client = ControlPlaneRestartLab.Client();
            await ControlPlaneRestartLab.WaitRoutedAsync(client, sidecarA);

            await using var load = SteadyLoad.Start(client, sidecarA);
            await Task.Delay(1000); // requests before the crash
            plane = await _lab.KillAndRestartAsync(plane, port, down: TimeSpan.FromSeconds(3));
            await Eventually.TrueAsync(async () => await ControlPlaneRestartLab.SidecarsAsync(plane) >= 2, "both sidecars reconnected", TimeSpan.FromSeconds(60));
            await Task.Delay(5000); // requests after both reconnected (the window in which routes were dropped)
            await load.StopAsync();

            Assert.True(load.Sent > 100, $"only {load.Sent} requests were sent");
            Assert.Empty(load.Failures);
        }
        finally
        {
            await plane.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => _lab.DisposeAsync();
}
