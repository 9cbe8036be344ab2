// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Acgs.Perf.Soak;

/// <summary>
/// Holds idle keep-alive connections open against the sidecars' inbound listeners, spread evenly over
/// <c>targets</c>: each connection sends one request (with the hash), reads its answer and then stays silent;
/// when the sidecar closes it (its idle timeout) it is opened again at once. The first opening is paced over
/// <c>rampUp</c> so the connections do not all expire together.
/// </summary>
internal sealed class IdleConnectionHolder : IAsyncDisposable
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /idle HTTP/1.1\r\nHost: soak\r\nX-Constitutional-Hash: cdd01ef066bc6cf2\r\n\r\n");
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private int _open;
    private long _opened;
    private long _refused;
    private long _notOk;

    /// <summary>Connections open now (connected and not yet closed by the sidecar).</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Connections opened in all (the first openings and every re-opening).</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Connects that failed.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Requests on idle connections answered with anything but 200.</summary>
    public long NotOk => Interlocked.Read(ref _notOk);

    /// <summary>Starts <paramref name="count"/> connections over <paramref name="targets"/>.</summary>
    public void Start(int count, IReadOnlyList<Uri> targets, TimeSpan rampUp)
    {
        for (var i = 0; i < count; i++)
        {
            var target = targets[i % targets.Count];
            var delay = count <= 1 ? TimeSpan.Zero : rampUp * i / count;
            _tasks.Add(Task.Run(() => HoldAsync(new IPEndPoint(IPAddress.Loopback, target.Port), delay, _stop.Token)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task HoldAsync(IPEndPoint target, TimeSpan delay, CancellationToken ct)
    {
        var buffer = new byte[512];
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await socket.ConnectAsync(target, ct).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref _refused);
                    await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                    continue;
                }

                Interlocked.Increment(ref _opened);
                Interlocked.Increment(ref _open);
                try
                {
                    await socket.SendAsync(Request, SocketFlags.None, ct).ConfigureAwait(false);
                    var first = true;
                    int read;
                    while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false)) > 0)
                    {
                        if (first && !buffer.AsSpan(0, read).StartsWith("HTTP/1.1 200 "u8))
                        {
                            Interlocked.Increment(ref _notOk);
                        }

                        first = false;
                    }
                }
                catch (SocketException)
                {
                    // reset by the sidecar: open another one
                }
                finally
                {
                    Interlocked.Decrement(ref _open);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the soak is over
        }
    }
}
