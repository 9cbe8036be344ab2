// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>A steady 20 requests per second from svc-a's sidecar to svc-b (<see cref="ControlPlaneRestartLab.CallAsync"/>) until
/// stopped (or disposed), counting what was sent and what did not answer 200.</summary>
internal sealed class SteadyLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _failures = [];
    private Task _load = Task.CompletedTask;
    private int _sent;

    private SteadyLoad()
    {
    }

    /// <summary>Requests sent so far.</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>The requests that did not answer 200: their status, or <c>transport error</c>.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Starts sending through <paramref name="caller"/> with <paramref name="client"/>.</summary>
    public static SteadyLoad Start(HttpClient client, SidecarProcess caller)
    {
        var load = new SteadyLoad();
        load._load = Task.Run(() => load.RunAsync(client, caller));
        return load;
    }

    /// <summary>Stops sending and waits for the request in flight.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await _load;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _stop.Dispose();
        }
    }

    private async Task RunAsync(HttpClient client, SidecarProcess caller)
    {
        while (!_stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _sent);
            var status = await ControlPlaneRestartLab.CallAsync(client, caller);
            if (status != HttpStatusCode.OK)
            {
                _failures.Add(status?.ToString() ?? "transport error");
            }

            await Task.Delay(50); // a steady 20 req/s, the load of the scenario
        }
    }
}
