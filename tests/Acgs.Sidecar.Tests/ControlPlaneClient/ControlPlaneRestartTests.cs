// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Xunit.Abstractions;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// A control-plane restart loses no route: the real control plane and two real sidecars as processes, svc-a calling
/// svc-b through both while the control plane is killed (-9) and restarted; and SIGTERM ends the control plane's watch
/// streams at once, so it exits promptly with sidecars connected.
/// </summary>
public sealed class ControlPlaneRestartTests(ITestOutputHelper output) : IAsyncDisposable
{
    private readonly ControlPlaneRestartLab _lab = new("acgs-cp-restart");

    /// <summary>
    /// The host's shutdown timeout, pinned for the SIGTERM test (with the watch heartbeat far beyond it, so no write
    /// ends a stream early): a watch stream that SIGTERM does not end holds Kestrel, and so the process, until it runs out.
    /// </summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SIGTERM ends the watch streams at once: measured by the control plane's own log clock, from the host's
    /// "Application is shutting down" to the stream's "disconnected" line (the documented 2 s), so neither the test
    /// runner's scheduling nor the runtime's exit on a loaded machine counts; and the process exits, with 0, in well
    /// under the shutdown timeout it would otherwise wait for.
    /// </summary>
    [Fact]
    public async Task Sigterm_WithConnectedSidecar_StreamEndsWithinTwoSecondsAndProcessExits()
    {
        await using var app = await TestUpstream.StartAsync("app");
        var plane = await ControlPlaneProcess.StartAsync(_lab.ControlPlaneData, new Dictionary<string, string>
        {
            ["DOTNET_SHUTDOWNTIMEOUTSECONDS"] = ShutdownTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["ACGS_WATCH_HEARTBEAT_SECONDS"] = "300",
        });
        await using var _ = plane;
        await using var sidecar = await _lab.StartSidecarAsync("svc-a", app.Port, plane.Address);
        await Eventually.TrueAsync(async () => await ControlPlaneRestartLab.SidecarsAsync(plane) == 1, "the sidecar holds a watch stream");

        var (elapsed, exitCode) = await plane.TerminateAsync();

        var log = plane.Output();
        var stopping = LoggedAt(log, "Application is shutting down");
        var ended = LoggedAt(log, "sidecar svc-a/svc-a-1 disconnected");
        output.WriteLine($"stream ended {(ended - stopping)?.TotalMilliseconds:0} ms after the host began stopping; exited {elapsed.TotalMilliseconds:0} ms after SIGTERM, code {exitCode}");
        Assert.True(stopping is not null && ended is not null, "the control plane logged neither its stop nor the stream's end: " + log);
        Assert.True(ended - stopping < TimeSpan.FromSeconds(2), $"the watch stream ended {(ended - stopping)?.TotalMilliseconds:0} ms after the host began stopping");
        Assert.True(elapsed < ShutdownTimeout / 3, $"the control plane took {elapsed.TotalMilliseconds:0} ms to exit after SIGTERM (shutdown timeout {ShutdownTimeout.TotalSeconds:0} s)");
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

    /// <summary>The timestamp the console logger put on the first line containing <paramref name="text"/>, or null.</summary>
    private static DateTimeOffset? LoggedAt(string log, string text)
    {
        foreach (var line in log.Split('\n'))
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (line.Contains(text, StringComparison.Ordinal) && space > 0
                && DateTimeOffset.TryParse(line.AsSpan(0, space), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at;
            }
        }

        return null;
    }
}
