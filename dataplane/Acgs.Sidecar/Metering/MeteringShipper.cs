// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Metering;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Closes a metering window every <see cref="MeteringOptions.Interval"/> (<see cref="UsageRecorder.Collect"/>), adds it to
/// the <see cref="MeteringBuffer"/> and sends the buffered windows to the control plane, oldest first, in batches of at
/// most <see cref="MeteringBatch.MaxWindows"/>; a window leaves the buffer only once a batch holding it is accepted.
/// Window ids are <c>&lt;service&gt;/&lt;node&gt;/&lt;start unix ms&gt;/&lt;sequence&gt;</c>, so a batch resent after an
/// outage (or after an answer that was lost) is stored once. On stop the last window is closed and sent once, best effort.
/// </summary>
internal sealed partial class MeteringShipper : BackgroundService
{
    private readonly UsageRecorder _recorder;
    private readonly MeteringBuffer _buffer;
    private readonly Func<MeteringBatch, CancellationToken, Task<bool>> _send;
    private readonly MeteringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _service;
    private readonly string _node;
    private long _windowStart;
    private long _sequence;
    private bool _failing;

    public MeteringShipper(UsageRecorder recorder, MeteringBuffer buffer, Func<MeteringBatch, CancellationToken, Task<bool>> send,
        MeteringOptions options, string service, string node, TimeProvider time, ILogger<MeteringShipper> logger)
    {
        _recorder = recorder;
        _buffer = buffer;
        _send = send;
        _options = options;
        _service = service;
        _node = node;
        _time = time;
        _logger = logger;
        _windowStart = time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    /// <summary>Closes the current window: its rows (if any) go into the buffer as one window.</summary>
    public void CloseWindow()
    {
        var end = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = _recorder.Collect();
        var sequence = _sequence++;
        if (rows.Count > 0)
        {
            _buffer.Add(new MeteringWindow
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"{_service}/{_node}/{_windowStart}/{sequence}"),
                Service = _service,
                Node = _node,
                StartUnixMs = _windowStart,
                EndUnixMs = Math.Max(end, _windowStart),
                Rows = [.. rows],
            });
        }

        _windowStart = end;
    }

    /// <summary>Sends the buffered windows until the buffer is empty or a batch fails; true when nothing is left.</summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        while (_buffer.Peek(MeteringBatch.MaxWindows) is { Count: > 0 } batch)
        {
            bool accepted;
            try
            {
                accepted = await _send(new MeteringBatch { Windows = [.. batch] }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogSendError(ex.GetType().Name);
                accepted = false;
            }

            if (!accepted)
            {
                if (!_failing)
                {
                    _failing = true;
                    LogSendFailed(_buffer.Count);
                }

                return false;
            }

            _buffer.Remove(batch);
            if (_failing)
            {
                _failing = false;
                LogSendResumed(_buffer.Count);
            }
        }

        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                CloseWindow();
                await FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        CloseWindow();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await FlushAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogSendFailed(_buffer.Count); // best effort on stop: the windows left are lost with the process
        }
    }

    [LoggerMessage(EventId = 9200, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] metering: the control plane did not accept usage windows; {Buffered} kept to resend")]
    private partial void LogSendFailed(int buffered);

    [LoggerMessage(EventId = 9202, Level = LogLevel.Debug, Message = "[cdd01ef066bc6cf2] metering: sending usage windows failed: {Error}")]
    private partial void LogSendError(string error);

    [LoggerMessage(EventId = 9201, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] metering: usage windows accepted again; {Buffered} still buffered")]
    private partial void LogSendResumed(int buffered);
}
