// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>
/// One keep-alive HTTP/1.1 connection to an upstream destination: the socket, a receive buffer owned for the
/// connection's life (the unread bytes are <c>Buffer[Start..End]</c>), and the last response's header strings, so a
/// header whose bytes repeat on the next response reuses them instead of a new string.
/// </summary>
internal sealed class DirectConnection : IDisposable
{
    /// <summary>The receive buffer's first size (it doubles for a larger head, up to <see cref="MaxHeadBytes"/>); bodies
    /// beyond what arrived with the head are received straight into the client response's buffers.</summary>
    public const int BufferSize = 4 * 1024;

    /// <summary>The largest response head accepted (SocketsHttpHandler's default limit).</summary>
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>The most response header lines remembered for reuse.</summary>
    public const int CachedHeaders = 32;

    public DirectConnection(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    public byte[] Buffer { get; private set; } = new byte[BufferSize];

    public int Start { get; set; }

    public int End { get; set; }

    /// <summary>When the connection went back to the pool (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long IdleSince { get; set; }

    /// <summary>True once the connection has served a request (a failure on it before any response byte may be retried).</summary>
    public bool Reused { get; set; }

    /// <summary>The previous response's header names and values by position.</summary>
    public string?[] Names { get; } = new string?[CachedHeaders];

    /// <summary>The previous response's header values by position.</summary>
    public string?[] Values { get; } = new string?[CachedHeaders];

    public int Buffered => End - Start;

    /// <summary>The parsed head of the current response.</summary>
    public Http1Response Response { get; } = new();

    /// <summary>Moves the unread bytes to the front; grows the buffer (up to <see cref="MaxHeadBytes"/>) when it is full.</summary>
    public bool MakeRoom()
    {
        if (Start > 0)
        {
            System.Buffer.BlockCopy(Buffer, Start, Buffer, 0, End - Start);
            End -= Start;
            Start = 0;
        }

        if (End < Buffer.Length)
        {
            return true;
        }

        if (Buffer.Length >= MaxHeadBytes)
        {
            return false;
        }

        var bigger = new byte[Buffer.Length * 2];
        System.Buffer.BlockCopy(Buffer, 0, bigger, 0, End);
        Buffer = bigger;
        return true;
    }

    /// <summary>Reads more bytes after <see cref="End"/>; 0 at the end of the stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        if (End == Buffer.Length && !MakeRoom())
        {
            throw new DirectProtocolException("response head too large");
        }

        if (Start == End)
        {
            Start = 0;
            End = 0;
        }

        var read = await Socket.ReceiveAsync(Buffer.AsMemory(End), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        End += read;
        return read;
    }

    /// <summary>
    /// True when the idle connection can no longer carry a request: the upstream closed it (or sent bytes nobody asked
    /// for). One non-blocking poll, before every reuse.
    /// </summary>
    public bool IsStale()
    {
        try
        {
            return Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return true;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        try
        {
            Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        Socket.Dispose();
    }
}

/// <summary>The upstream's bytes are not a response this path understands: the connection is closed, the client gets 502.</summary>
internal sealed class DirectProtocolException(string message) : IOException("Invalid upstream HTTP/1.1 response: " + message);

/// <summary>Reading the request body from the client failed (a client-side error: never the upstream's fault).</summary>
internal sealed class DirectClientBodyException(Exception inner) : IOException("Reading the request body from the client failed.", inner);

/// <summary>The upstream closed a reused connection before any response byte (the request may be sent again on a fresh one).</summary>
internal sealed class DirectConnectionClosedException() : IOException("The upstream closed the connection before responding.");
