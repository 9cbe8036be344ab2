// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Admin;

/// <summary>
/// Background TCP connect probe of the local app (<c>ACGS_APP_HOST</c>:<c>ACGS_APP_PORT</c>) every
/// <see cref="SidecarOptions.AppProbeInterval"/>, driven by <see cref="TimeProvider"/>; readiness
/// needs the last probe to have succeeded. Each attempt times out after the interval (at most 1 s). When the process
/// is out of descriptors (<c>EMFILE</c>) the probe cannot tell: readiness keeps its last value, the fault is counted
/// (<see cref="ClientFaultLog"/>) and the next tick tries again; no probe failure ever stops the host.
/// </summary>
internal sealed partial class AppReachabilityProbe : BackgroundService
{
    private readonly SidecarOptions _options;
    private readonly HealthState _health;
    private readonly TimeProvider _time;
    private readonly ILogger<AppReachabilityProbe> _logger;
    private readonly ClientFaultLog? _faults;

    /// <summary>Creates the probe.</summary>
    public AppReachabilityProbe(SidecarOptions options, HealthState health, TimeProvider time, ILogger<AppReachabilityProbe> logger, ClientFaultLog? faults = null)
    {
        _faults = faults;
        _options = options;
        _health = health;
        _time = time;
        _logger = logger;
    }

    /// <summary>Probes once and records the outcome.</summary>
    public async Task<bool> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.AppProbeInterval < TimeSpan.FromSeconds(1) ? _options.AppProbeInterval : TimeSpan.FromSeconds(1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var wasReachable = _health.AppReachable;
        Socket? socket = null;
        try
        {
            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(_options.AppHost, _options.AppPort, cts.Token).ConfigureAwait(false);
            _health.SetAppReachable(true, string.Empty);
            if (!wasReachable)
            {
                LogReachable(_options.AppHost, _options.AppPort);
            }

            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
        {
            _faults?.Record("descriptors_exhausted", "the app-reachability probe could not open a socket (" + ex.SocketErrorCode.ToString() + "); readiness keeps its last value, the probe retries next interval");
            return wasReachable;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = ex is SocketException se ? $"connect to {_options.AppHost}:{_options.AppPort} failed: {se.SocketErrorCode}" : $"connect to {_options.AppHost}:{_options.AppPort} timed out";
            _health.SetAppReachable(false, error);
            if (wasReachable)
            {
                LogUnreachable(error);
            }

            return false;
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _ = await ProbeOnceAsync(stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_options.AppProbeInterval, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                _ = await ProbeOnceAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "local app {Host}:{Port} is reachable")]
    private partial void LogReachable(string host, int port);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "local app is not reachable: {Error}")]
    private partial void LogUnreachable(string error);
}
