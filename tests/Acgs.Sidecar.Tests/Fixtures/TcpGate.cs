// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;

namespace Acgs.Sidecar.Tests.Fixtures;

/// <summary>
/// A TCP relay on loopback to <c>targetPort</c> that a test can close for new connections (<see cref="Blocked"/>: an
/// accepted connection is closed at once), to hold one process away from another while the rest of the mesh goes on.
/// </summary>
internal sealed class TcpGate : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _targetPort;
    private readonly Task _accepting;
    private volatile bool _blocked;

    private TcpGate(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Where to connect instead of the target.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>While true, new connections are closed at once (open ones go on).</summary>
    public bool Blocked
    {
        get => _blocked;
        set => _blocked = value;
    }

    public static TcpGate Start(int targetPort) => new(targetPort);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_blocked)
            {
                client.Dispose();
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = client.GetStream().CopyToAsync(upstream.GetStream(), done.Token);
                var down = upstream.GetStream().CopyToAsync(client.GetStream(), done.Token);
                await Task.WhenAny(up, down);
                await done.CancelAsync();
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // either side went away: both are closed
            }
        }
    }
}
