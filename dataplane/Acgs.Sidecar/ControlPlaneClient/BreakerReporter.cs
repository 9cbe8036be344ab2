// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Acgs.Core.CircuitBreaker;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Reports this sidecar's circuit-breaker states to the control plane's health aggregation every
/// <see cref="ControlPlaneClientOptions.HealthReportInterval"/>: <c>PUT /api/v1/health/{service}/{node}</c> with
/// <c>{"clusters":[{"name":"orders","state":"closed|open|half_open"}]}</c> (same Bearer token as the watch stream),
/// read from <see cref="CircuitBreakerRegistry.Snapshot"/>. Golden metrics (<c>requests_total</c>, <c>errors_total</c>)
/// are not sent: the request counters are labelled process-wide Prometheus counters with no cheap total.
/// A failed report is retried with exponential backoff (<see cref="ControlPlaneClientOptions.BackoffMin"/> doubling up to
/// <see cref="ControlPlaneClientOptions.BackoffMax"/>, never sooner than the interval); the control plane counts a
/// sidecar silent for 3 intervals as open. On stop (SIGTERM or drain) it deregisters once with
/// <c>DELETE /api/v1/health/{service}/{node}</c>, best effort: at most <see cref="DeregisterTimeout"/>, never throwing,
/// so the control plane forgets this node at once instead of counting it open until it ages out.
/// </summary>
internal sealed partial class BreakerReporter : BackgroundService
{
    private readonly ControlPlaneClientOptions _options;
    private readonly CircuitBreakerRegistry? _breakers;
    private readonly TimeProvider _time;
    private readonly ILogger<BreakerReporter> _logger;
    private readonly HttpClient _http;
    private readonly Uri _path;
    private int _reports;

    /// <summary>The longest the deregistration on stop may take.</summary>
    public static readonly TimeSpan DeregisterTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Creates the reporter; without a <paramref name="breakers"/> registry it reports an empty list.</summary>
    public BreakerReporter(ControlPlaneClientOptions options, CircuitBreakerRegistry? breakers, TimeProvider time, ILogger<BreakerReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _breakers = breakers;
        _time = time;
        _logger = logger;
        _path = new Uri("/api/v1/health/" + Uri.EscapeDataString(options.ServiceName) + "/" + Uri.EscapeDataString(options.NodeId), UriKind.Relative);
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(10) };
        if (options.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }
    }

    /// <summary>Accepted reports so far.</summary>
    public int Reports => Volatile.Read(ref _reports);

    /// <summary>Stops reporting, then deregisters (<see cref="DeregisterAsync"/>); never throws, returns within <see cref="DeregisterTimeout"/> of the loop ending.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await DeregisterAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <c>DELETE /api/v1/health/{service}/{node}</c> once, giving up after <see cref="DeregisterTimeout"/> (or when
    /// <paramref name="cancellationToken"/> fires); true when the control plane removed the node. Never throws.
    /// </summary>
    public async Task<bool> DeregisterAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(DeregisterTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var response = await _http.DeleteAsync(_path, linked.Token).ConfigureAwait(false);
            LogDeregistered((int)response.StatusCode);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            LogDeregisterFailed(ex.GetType().Name, ex.Message);
            return false;
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <summary>The report body for <paramref name="breakers"/> (written with <see cref="Utf8JsonWriter"/>: no reflection, Native AOT safe).</summary>
    public static byte[] Body(IReadOnlyList<CircuitBreaker> breakers)
    {
        ArgumentNullException.ThrowIfNull(breakers);
        var buffer = new ArrayBufferWriter<byte>(64 + (breakers.Count * 48));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("clusters");
            foreach (var breaker in breakers)
            {
                w.WriteStartObject();
                w.WriteString("name", breaker.Name);
                w.WriteString("state", breaker.State switch
                {
                    CircuitState.Closed => "closed",
                    CircuitState.HalfOpen => "half_open",
                    _ => "open",
                });
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Sends one report; true when the control plane accepted it.</summary>
    public async Task<bool> ReportAsync(CancellationToken cancellationToken)
    {
        var breakers = _breakers?.Snapshot() ?? [];
        using var content = new ByteArrayContent(Body(breakers));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var response = await _http.PutAsync(_path, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            LogRefused((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return false;
        }

        Interlocked.Increment(ref _reports);
        LogReported(breakers.Count);
        return true;
    }

    /// <summary>The wait before the next report after <paramref name="failures"/> consecutive failures (0 = the interval).</summary>
    public TimeSpan NextDelay(int failures)
    {
        if (failures <= 0)
        {
            return _options.HealthReportInterval;
        }

        var backoff = _options.BackoffMin;
        for (var i = 1; i < failures && backoff < _options.BackoffMax; i++)
        {
            backoff += backoff;
        }

        if (backoff > _options.BackoffMax)
        {
            backoff = _options.BackoffMax;
        }

        return backoff > _options.HealthReportInterval ? backoff : _options.HealthReportInterval;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                failures = await ReportAsync(stoppingToken).ConfigureAwait(false) ? 0 : failures + 1;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                failures++;
                LogFailed(ex.GetType().Name, ex.Message);
            }

            try
            {
                await Task.Delay(NextDelay(failures), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
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
}
