// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// The control plane's half of a restart that loses no route, on its own: the sidecars' destination grace is off, and
/// the callee's sidecar (svc-b) reaches the control plane through a gate that stays closed after the restart, so the
/// caller's sidecar (svc-a) reconnects first. Only the control plane's memory of svc-b (discovery.json, served during
/// its warm-up) keeps svc-b in the snapshot svc-a then receives.
/// </summary>
public sealed class ControlPlaneMemoryTests : IAsyncDisposable
{
    // The sidecars' own guard off: the control plane's memory alone.
    private static readonly Dictionary<string, string> NoGrace = new() { ["ACGS_DESTINATION_GRACE_SECONDS"] = "0" };
    private readonly ControlPlaneRestartLab _lab = new("acgs-cp-memory");

    [Fact]
    public async Task KillAndRestart_CalleeReconnectsLast_NoFailedRequest()
    {
        await using var appB = await TestUpstream.StartAsync("svc-b");
        await using var appA = await TestUpstream.StartAsync("svc-a");
        var port = FreePort.Get();
        await using var gate = TcpGate.Start(port);
        var plane = await _lab.StartControlPlaneAsync(port);
        try
        {
            await using var sidecarB = await _lab.StartSidecarAsync("svc-b", appB.Port, gate.Address, NoGrace);
            await using var sidecarA = await _lab.StartSidecarAsync("svc-a", appA.Port, plane.Address, NoGrace);
            using var client = ControlPlaneRestartLab.Client();
            await ControlPlaneRestartLab.WaitRoutedAsync(client, sidecarA);
            var memory = Path.Combine(_lab.ControlPlaneData, "discovery.json");
            await Eventually.TrueAsync(() => File.Exists(memory) && File.ReadAllText(memory).Contains("svc-b", StringComparison.Ordinal), "the control plane wrote what it knows");

            await using var load = SteadyLoad.Start(client, sidecarA);
            gate.Blocked = true; // svc-b cannot reach the restarted control plane
            plane = await _lab.KillAndRestartAsync(plane, port, down: TimeSpan.Zero);
            await Eventually.TrueAsync(async () => await ControlPlaneRestartLab.SidecarsAsync(plane) >= 1, "svc-a reconnected", TimeSpan.FromSeconds(60));
            await Task.Delay(5000); // svc-a holds the restarted control plane's snapshot while svc-b is away
            gate.Blocked = false;
            await Eventually.TrueAsync(async () => await ControlPlaneRestartLab.SidecarsAsync(plane) >= 2, "svc-b reconnected", TimeSpan.FromSeconds(60));
            await load.StopAsync();

            Assert.True(load.Sent > 50, $"only {load.Sent} requests were sent");
            Assert.Empty(load.Failures);
        }
        finally
        {
            await plane.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => _lab.DisposeAsync();
}
