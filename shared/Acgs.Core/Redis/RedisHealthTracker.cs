// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Acgs.Core.Redis;

/// <summary>
/// Tracks whether Redis answers: <see cref="RedisHealthTrackerOptions.FailureThreshold"/> (3) consecutive failed
/// pings make it unhealthy, one success makes it healthy again. It starts healthy (optimistic) and raises
/// <see cref="HealthChanged"/> exactly once per change. Pings run on an interval from the
/// <see cref="TimeProvider"/> once <see cref="Start"/> is called; tests drive it with <see cref="CheckOnceAsync"/>
/// or <see cref="RecordPing"/>. Thread-safe.
/// </summary>
public sealed partial class RedisHealthTracker : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask> _probe;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private bool _healthy = true;
    private int _failures;
    private string? _lastError;
    private DateTimeOffset? _lastCheckedAt;
    private Task? _loop;
    private bool _disposed;

    /// <summary>Tracks the server behind <paramref name="connection"/> with <c>PING</c> (a disconnected multiplexer fails at once).</summary>
    public RedisHealthTracker(
        IConnectionMultiplexer connection,
        RedisHealthTrackerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<RedisHealthTracker>? logger = null)
        : this(CreateProbe(connection), options, timeProvider, logger)
    {
    }

    /// <summary>
    /// Tracks any probe: a completed call is a successful ping, an exception (or no answer within
    /// <see cref="RedisHealthTrackerOptions.PingTimeout"/>) a failed one.
    /// </summary>
    public RedisHealthTracker(
        Func<CancellationToken, ValueTask> probe,
        RedisHealthTrackerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<RedisHealthTracker>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        options ??= RedisHealthTrackerOptions.Default;
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Redis health tracker options: " + string.Join("; ", errors), nameof(options));
        }

        _probe = probe;
        Options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised once per change between healthy and unhealthy, under the tracker's lock: keep handlers short.</summary>
    public event EventHandler<RedisHealthChangedEventArgs>? HealthChanged;

    /// <summary>The settings in use.</summary>
    public RedisHealthTrackerOptions Options { get; }

    /// <summary>Whether Redis is considered reachable.</summary>
    public bool IsHealthy
    {
        get
        {
            lock (_gate)
            {
                return _healthy;
            }
        }
    }

    /// <summary>Failed pings since the last success.</summary>
    public int ConsecutiveFailures
    {
        get
        {
            lock (_gate)
            {
                return _failures;
            }
        }
    }

    /// <summary>The last failure's exception type and message since the last success, or <see langword="null"/>.</summary>
    public string? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>When the last ping was recorded, or <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastCheckedAt
    {
        get
        {
            lock (_gate)
            {
                return _lastCheckedAt;
            }
        }
    }

    /// <summary>Starts pinging now and then every <see cref="RedisHealthTrackerOptions.Interval"/>. Idempotent.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loop is null)
            {
                var token = _stopping.Token;
                _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
            }
        }
    }

    /// <summary>Pings once and records the outcome; returns whether the ping succeeded.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (nothing is recorded).</exception>
    public async ValueTask<bool> CheckOnceAsync(CancellationToken cancellationToken = default)
    {
        Task ping;
        try
        {
            ping = _probe(cancellationToken).AsTask();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any probe failure is a failed ping, whatever its type.
        catch (Exception ex)
        {
            Record(false, ex);
            return false;
        }

        try
        {
            await ping.WaitAsync(Options.PingTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ObserveLater(ping);
            throw;
        }
        catch (Exception ex)
        {
            ObserveLater(ping);
            Record(false, ex);
            return false;
        }
#pragma warning restore CA1031

        Record(true, null);
        return true;
    }

    /// <summary>Records the outcome of a ping made elsewhere (or simulated by a test).</summary>
    public void RecordPing(bool success) => Record(success, null);

    /// <summary>Stops the background loop and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            loop = _loop;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static Func<CancellationToken, ValueTask> CreateProbe(IConnectionMultiplexer connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return async _ =>
        {
            if (!connection.IsConnected)
            {
                throw new InvalidOperationException("not connected to Redis");
            }

            await connection.GetDatabase().PingAsync().ConfigureAwait(false);
        };
    }

    private static void ObserveLater(Task task)
    {
        if (!task.IsCompleted)
        {
            _ = task.ContinueWith(
                static t => _ = t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.Interval, _timeProvider);
        try
        {
            do
            {
                await CheckOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Record(bool success, Exception? error)
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            _lastCheckedAt = now;
            if (success)
            {
                _failures = 0;
                _lastError = null;
                if (_healthy)
                {
                    return;
                }

                _healthy = true;
                Log.BecameHealthy(_logger);
            }
            else
            {
                _failures = _failures == int.MaxValue ? int.MaxValue : _failures + 1;
                _lastError = error is null ? "ping failed" : error.GetType().Name + ": " + error.Message;
                Log.PingFailed(_logger, _failures, _lastError);
                if (!_healthy || _failures < Options.FailureThreshold)
                {
                    return;
                }

                _healthy = false;
                Log.BecameUnhealthy(_logger, _failures, _lastError);
            }

            Notify(new RedisHealthChangedEventArgs(_healthy, _failures, now, _lastError));
        }
    }

    private void Notify(RedisHealthChangedEventArgs change)
    {
        if (HealthChanged is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<RedisHealthChangedEventArgs>)handler)(this, change);
            }
#pragma warning disable CA1031 // A faulty listener must not stop the tracker or the other listeners.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ListenerFailed(_logger, ex);
            }
        }
    }
}
