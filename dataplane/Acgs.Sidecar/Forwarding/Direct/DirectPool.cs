// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>
/// The idle keep-alive connections to one destination (most recently used first). Bounded: at most
/// <see cref="MaxIdle"/> idle connections are kept, more are closed when returned; a connection idle longer than the
/// upstream idle timeout is closed when found and by <see cref="Scavenge"/>.
/// </summary>
internal sealed class DirectPool
{
    /// <summary>The most idle connections kept per destination.</summary>
    public const int MaxIdle = 512;

    private readonly DirectConnection?[] _idle = new DirectConnection?[MaxIdle];
    private readonly Lock _lock = new();
    private readonly EndPoint _endPoint;
    private readonly TimeProvider _time;
    private readonly long _idleTicks;
    private int _count;

    private DirectPool()
    {
        _endPoint = new IPEndPoint(IPAddress.None, 0);
        _time = TimeProvider.System;
        BasePath = string.Empty;
        Host = string.Empty;
        Authority = string.Empty;
        Port = 0;
    }

    public DirectPool(Uri destination, TimeProvider time, TimeSpan idleTimeout)
    {
        Usable = true;
        _time = time;
        _idleTicks = (long)(idleTimeout.TotalSeconds * time.TimestampFrequency);
        var host = destination.IdnHost;
        var port = destination.Port;
        _endPoint = IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
        var path = destination.AbsolutePath;
        BasePath = path.EndsWith('/') ? path[..^1] : path;
        Host = destination.Host;
        Port = destination.Port;
        Authority = destination.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The marker of a destination this path does not serve.</summary>
    public static DirectPool Unusable { get; } = new();

    /// <summary>False for <see cref="Unusable"/>.</summary>
    public bool Usable { get; }

    /// <summary>The destination's path prefix without its trailing slash ("" for none).</summary>
    public string BasePath { get; }

    /// <summary>The destination's host as the request URI of YARP's path gives it (the client span's <c>server.address</c>).</summary>
    public string Host { get; }

    /// <summary>The destination's port, boxed once (the client span's <c>server.port</c>).</summary>
    public object Port { get; }

    /// <summary>Scheme and authority as <see cref="Uri.GetLeftPart"/> gives them (the start of the client span's <c>url.full</c>).</summary>
    public string Authority { get; }

    /// <summary>Connections opened (diagnostics and tests).</summary>
    public long Opened;

    /// <summary>
    /// The most recently returned idle connection that has not idled out, or null. Every connection is checked before
    /// reuse (<see cref="DirectConnection.IsStale"/>: one non-blocking poll, as HttpClient's pool checks): one the
    /// upstream closed meanwhile, or that holds bytes nobody asked for (a body beyond its length, a late body of a
    /// bodyless response), is closed instead of used, so those bytes are never read as the next request's response.
    /// </summary>
    public DirectConnection? RentIdle()
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            DirectConnection? connection;
            lock (_lock)
            {
                if (_count == 0)
                {
                    return null;
                }

                connection = _idle[--_count];
                _idle[_count] = null;
            }

            var idle = now - connection!.IdleSince;
            if (idle < _idleTicks && !connection.IsStale())
            {
                return connection;
            }

            connection.Dispose();
        }
    }

    /// <summary>Gives a connection whose last exchange completed cleanly back (or closes it when the pool is full).</summary>
    public void Return(DirectConnection connection)
    {
        connection.IdleSince = _time.GetTimestamp();
        connection.Reused = true;
        lock (_lock)
        {
            if (_count < _idle.Length)
            {
                _idle[_count++] = connection;
                return;
            }
        }

        connection.Dispose();
    }

    /// <summary>Opens a new connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<DirectConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = _endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            await socket.ConnectAsync(_endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Increment(ref Opened);
        return new DirectConnection(socket);
    }

    /// <summary>Closes the idle connections older than the idle timeout.</summary>
    public void Scavenge()
    {
        var now = _time.GetTimestamp();
        while (true)
        {
            DirectConnection? oldest = null;
            lock (_lock)
            {
                if (_count > 0 && now - _idle[0]!.IdleSince >= _idleTicks)
                {
                    oldest = _idle[0];
                    Array.Copy(_idle, 1, _idle, 0, _count - 1);
                    _idle[--_count] = null;
                }
            }

            if (oldest is null)
            {
                return;
            }

            oldest.Dispose();
        }
    }

    /// <summary>Closes every idle connection.</summary>
    public void Clear()
    {
        while (RentIdleAny() is { } connection)
        {
            connection.Dispose();
        }
    }

    private DirectConnection? RentIdleAny()
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            var connection = _idle[--_count];
            _idle[_count] = null;
            return connection;
        }
    }
}
