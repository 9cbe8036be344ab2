// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Acgs.Sidecar.Tests.Forwarding.Direct;

/// <summary>
/// A loopback upstream on raw sockets for what Kestrel will not send: reads request heads (no bodies) and answers
/// each with the bytes the respond function gives for the connection's n-th request; closes the connection after an
/// answer when told to, or hands the socket to a follow-up function (late bytes, a reset) that says whether the
/// connection ends. Counts connections and requests.
/// </summary>
internal sealed class RawUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<int, (byte[] Bytes, bool Close)> _respond;
    private readonly Func<int, Socket, Task<bool>>? _then;
    private readonly Task _accepting;
    private int _connections;
    private int _requests;
    private int _closed;

    public RawUpstream(Func<int, (byte[] Bytes, bool Close)> respond, Func<int, Socket, Task<bool>>? then = null)
    {
        _respond = respond;
        _then = then;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections that carried at least one request.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Connections this upstream closed after answering.</summary>
    public int Closed => Volatile.Read(ref _closed);

    public static (byte[] Bytes, bool Close) Answer(string text, bool close) => (Encoding.ASCII.GetBytes(text), close);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            var buffer = new byte[16384];
            var filled = 0;
            var first = true;
            try
            {
                while (true)
                {
                    int end;
                    while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                    {
                        var read = await socket.ReceiveAsync(buffer.AsMemory(filled), _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        filled += read;
                    }

                    var consumed = end + 4;
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                    if (first)
                    {
                        first = false;
                        Interlocked.Increment(ref _connections); // a connection that carried a request (not the sidecar's app probe)
                    }

                    var n = Interlocked.Increment(ref _requests);
                    var (bytes, close) = _respond(n);
                    await socket.SendAsync(bytes, _stop.Token);
                    if (_then is not null && await _then(n, socket))
                    {
                        return;
                    }

                    if (close)
                    {
                        socket.Shutdown(SocketShutdown.Both);
                        Interlocked.Increment(ref _closed);
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
