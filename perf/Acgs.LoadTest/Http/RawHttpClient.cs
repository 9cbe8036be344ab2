// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Runtime.CompilerServices;
using Acgs.LoadTest.Scenarios;

namespace Acgs.LoadTest.Http;

/// <summary>A low-CPU HTTP/1.1 client for the load generator: one pre-encoded request written on
/// raw keep-alive sockets from a pool that grows on demand up to a cap. Requests that find the pool
/// exhausted wait (and are counted); the wait is part of their corrected latency, not of their
/// service time, because <see cref="IStepContext.MarkSendStart"/> is called once a connection is held.</summary>
public sealed class RawHttpClient : IDisposable
{
    private readonly RawHttpClientOptions _options;
    private readonly byte[] _request;
    private readonly EndPoint _endpoint;
    private readonly IdleConnectionPool<RawHttpConnection> _idle;
    private readonly SemaphoreSlim _slots;
    private long _opened;
    private long _expired;
    private long _connectErrors;
    private long _poolWaits;
    private int _disposed;

    /// <summary>Creates a client; no connection is opened until the first request.</summary>
    public RawHttpClient(RawHttpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid RawHttpClientOptions: " + string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _request = HttpRequestTemplate.Encode(options);
        _endpoint = IPAddress.TryParse(options.Target.Host, out var ip)
            ? new IPEndPoint(ip, options.Target.Port)
            : new DnsEndPoint(options.Target.Host, options.Target.Port);
        _slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        _idle = new IdleConnectionPool<RawHttpConnection>(options.Reuse);
    }

    /// <summary>Connections opened so far.</summary>
    public long ConnectionsOpened => Volatile.Read(ref _opened);

    /// <summary>Pooled connections closed because they were idle longer than <see cref="RawHttpClientOptions.IdleTimeout"/>.</summary>
    public long ConnectionsExpired => Volatile.Read(ref _expired);

    /// <summary>Connection attempts that failed.</summary>
    public long ConnectErrors => Volatile.Read(ref _connectErrors);

    /// <summary>Requests that waited because every connection at the cap was busy.</summary>
    public long PoolWaits => Volatile.Read(ref _poolWaits);

    /// <summary>Sends the request and reads the whole response. Never throws for transport errors:
    /// they come back as <see cref="StepResult.Fail"/> with status 0.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<StepResult> SendAsync(IStepContext? context = null)
    {
        var token = context?.CancellationToken ?? CancellationToken.None;
        if (!_slots.Wait(0))
        {
            Interlocked.Increment(ref _poolWaits);
            context?.MarkPoolWait();
            try
            {
                await _slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return StepResult.Fail();
            }
        }

        context?.MarkSendStart();
        RawHttpConnection? connection = null;
        try
        {
            connection = TakeIdle();
            if (connection is null)
            {
                connection = new RawHttpConnection(_options.BufferSize);
                try
                {
                    await connection.ConnectAsync(_endpoint, token).ConfigureAwait(false);
                    Interlocked.Increment(ref _opened);
                }
#pragma warning disable CA1031 // a failed connect is a failed request (status 0)
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref _connectErrors);
                    connection.Dispose();
                    connection = null;
                    return StepResult.Fail();
                }
            }

            return await connection.ExchangeAsync(_request, _options.RequestTimeout).ConfigureAwait(false);
        }
        finally
        {
            if (connection is not null)
            {
                if (connection.Reusable && Volatile.Read(ref _disposed) == 0)
                {
                    connection.IdleSince = _options.Time.GetTimestamp();
                    _idle.Return(connection);
                }
                else
                {
                    connection.Dispose();
                }
            }

            _slots.Release();
        }
    }

    /// <summary>The next idle connection in reuse order; connections idle past the timeout are closed and skipped.</summary>
    private RawHttpConnection? TakeIdle()
    {
        while (_idle.TryTake(out var connection))
        {
            if (_options.Time.GetElapsedTime(connection.IdleSince) < _options.IdleTimeout)
            {
                return connection;
            }

            connection.Dispose();
            Interlocked.Increment(ref _expired);
        }

        return null;
    }

    /// <summary>Closes idle connections; busy ones close when their request ends.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        while (_idle.TryTake(out var c))
        {
            c.Dispose();
        }
    }
}
