// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Health;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Reports this sidecar's circuit-breaker states to the control plane's health aggregation every
/// <see cref="ControlPlaneClientOptions.HealthReportInterval"/>: a <see cref="HealthReport"/> read from
/// <see cref="CircuitBreakerRegistry.Snapshot"/>, with the golden metrics per edge since the last accepted report
/// (<see cref="GoldenEdges"/>: requests, 5xx, p50/p99 of each caller → this service and this service → cluster edge),
/// through the <see cref="ControlPlaneConnection"/>. Request totals are not sent.
/// A failed report is retried (<see cref="ControlPlaneResilience.UntilAccepted"/>) with exponential backoff
/// (<see cref="ControlPlaneClientOptions.BackoffMin"/> doubling up to <see cref="ControlPlaneClientOptions.BackoffMax"/>, never
/// sooner than the interval); the control plane counts a sidecar silent for 3 intervals as open. On stop (SIGTERM or drain)
/// it deregisters once, best effort: at most <see cref="DeregisterTimeout"/>, never throwing, so the control plane forgets
/// this node at once instead of counting it open until it ages out.
/// </summary>
internal sealed partial class BreakerReporter : BackgroundService
{
    private readonly ControlPlaneConnection _connection;
    private readonly bool _ownsConnection;
    private readonly CircuitBreakerRegistry? _breakers;
    private readonly GoldenEdges? _golden;
    private readonly SemaphoreSlim _reporting = new(1, 1);
    private readonly ILogger<BreakerReporter> _logger;
    private readonly ResiliencePipeline<bool> _untilAccepted;
    private int _reports;

    /// <summary>The longest the deregistration on stop may take.</summary>
    public static readonly TimeSpan DeregisterTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Creates the reporter over the sidecar's <paramref name="connection"/>; without a <paramref name="breakers"/> registry it reports an
    /// empty list, without <paramref name="golden"/> no golden metrics.
    /// </summary>
    public BreakerReporter(ControlPlaneConnection connection, CircuitBreakerRegistry? breakers, ILogger<BreakerReporter> logger, GoldenEdges? golden = null)
        : this(connection, ownsConnection: false, breakers, logger, golden)
    {
    }

    /// <summary>Creates the reporter with a connection of its own.</summary>
    public BreakerReporter(ControlPlaneClientOptions options, CircuitBreakerRegistry? breakers, TimeProvider time, ILogger<BreakerReporter> logger, GoldenEdges? golden = null)
        : this(new ControlPlaneConnection(options, time), ownsConnection: true, breakers, logger, golden)
    {
    }

    private BreakerReporter(ControlPlaneConnection connection, bool ownsConnection, CircuitBreakerRegistry? breakers, ILogger<BreakerReporter> logger, GoldenEdges? golden)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _breakers = breakers;
        _golden = golden;
        _logger = logger;
        _untilAccepted = ControlPlaneResilience.UntilAccepted(connection.Time, NextDelay, OnFailure);
    }

    /// <summary>Accepted reports so far.</summary>
    public int Reports => Volatile.Read(ref _reports);

    /// <summary>
    /// Stops reporting, then deregisters (<see cref="DeregisterAsync"/>); never throws, returns within <see cref="DeregisterTimeout"/>
    /// of the loop ending. A report already sent is let finish first (for at most <see cref="DeregisterTimeout"/>): cancelling it
    /// would not take back the request, and a control plane that applied it after the deregistration would know this node again
    /// (and count it open once it has been silent long enough).
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var quiet = await WaitForReportAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            await DeregisterAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (quiet)
            {
                _reporting.Release();
            }
        }
    }

    /// <summary>
    /// Deregisters once, giving up after <see cref="DeregisterTimeout"/> (or when <paramref name="cancellationToken"/> fires);
    /// true when the control plane removed the node. Never throws.
    /// </summary>
    public async Task<bool> DeregisterAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(DeregisterTimeout, _connection.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var answer = await _connection.DeregisterAsync(linked.Token).ConfigureAwait(false);
            LogDeregistered(answer.Status);
            return answer.Accepted;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException or Polly.Timeout.TimeoutRejectedException)
        {
            LogDeregisterFailed(ex.GetType().Name, ex.Message);
            return false;
        }
    }

    public override void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }

        _reporting.Dispose();

        base.Dispose();
    }

    /// <summary>Sends one report; true when the control plane accepted it (then the next golden-metrics window starts).</summary>
    public async Task<bool> ReportAsync(CancellationToken cancellationToken)
    {
        await _reporting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReportOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _reporting.Release();
        }
    }

    private async Task<bool> ReportOnceAsync(CancellationToken cancellationToken)
    {
        var breakers = _breakers?.Snapshot() ?? [];
        var report = HealthReport.Of(breakers) with { Golden = _golden?.Collect() };
        var answer = await _connection.ReportHealthAsync(report, cancellationToken).ConfigureAwait(false);
        if (!answer.Accepted)
        {
            LogRefused(answer.Status, answer.Problem ?? string.Empty);
            return false;
        }

        _golden?.Commit();
        Interlocked.Increment(ref _reports);
        LogReported(breakers.Count);
        return true;
    }

    /// <summary>Takes the report lock (no report starts until it is released), waiting for a report in flight; false when that took longer than <see cref="DeregisterTimeout"/>.</summary>
    private async Task<bool> WaitForReportAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(DeregisterTimeout, _connection.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _reporting.WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            LogReportStillInFlight();
            return false;
        }
    }

    /// <summary>The wait before the next report after <paramref name="failures"/> consecutive failures (0 = the interval).</summary>
    public TimeSpan NextDelay(int failures)
    {
        var options = _connection.Options;
        if (failures <= 0)
        {
            return options.HealthReportInterval;
        }

        var backoff = options.BackoffMin;
        for (var i = 1; i < failures && backoff < options.BackoffMax; i++)
        {
            backoff += backoff;
        }

        if (backoff > options.BackoffMax)
        {
            backoff = options.BackoffMax;
        }

        return backoff > options.HealthReportInterval ? backoff : options.HealthReportInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _untilAccepted.ExecuteAsync(static (reporter, token) => new ValueTask<bool>(reporter.ReportAsync(token)), this, stoppingToken).ConfigureAwait(false);
                await Task.Delay(NextDelay(0), _connection.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private void OnFailure(Exception? exception)
    {
        if (exception is not null)
        {
            LogFailed(exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Debug, Message = "[cdd01ef066bc6cf2] reported {Count} breaker states to the control plane")]
    private partial void LogReported(int count);

    [LoggerMessage(EventId = 721, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] the control plane refused the health report ({Status}): {Body}")]
    private partial void LogRefused(int status, string body);

    [LoggerMessage(EventId = 722, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] health report failed ({Kind}: {Reason}); retrying with backoff")]
    private partial void LogFailed(string kind, string reason);

    [LoggerMessage(EventId = 723, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] health deregistration on stop answered {Status} (204 = removed, 404 = not known)")]
    private partial void LogDeregistered(int status);

    [LoggerMessage(EventId = 724, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] health deregistration on stop failed ({Kind}: {Reason}); the control plane forgets this node once it has been silent long enough")]
    private partial void LogDeregisterFailed(string kind, string reason);

    [LoggerMessage(EventId = 725, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] a health report was still unanswered on stop; cancelled, so the control plane may apply it after the deregistration")]
    private partial void LogReportStillInFlight();
}
