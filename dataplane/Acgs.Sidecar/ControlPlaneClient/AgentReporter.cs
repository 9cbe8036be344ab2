// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Discovery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Tells the control plane which agents are connected to this sidecar's bus and where the bus is: a
/// <see cref="BusAgentReport"/> through the <see cref="ControlPlaneConnection"/>. Checks every <see cref="ControlPlaneClientOptions.AgentReportInterval"/> and reports
/// when the list or address changed, and at least every <see cref="ControlPlaneClientOptions.AgentReportRefresh"/>
/// (the control plane keeps reports in memory and pushes only on change). The control plane compiles the
/// reports of every sidecar into the snapshots' <c>agent_directory</c>. Does nothing without a bus.
/// </summary>
internal sealed partial class AgentReporter : BackgroundService
{
    private readonly ControlPlaneConnection _connection;
    private readonly bool _ownsConnection;
    private readonly ILocalAgentSource _source;
    private readonly ILogger<AgentReporter> _logger;
    private string? _lastReported;
    private long _lastReportedAt;

    /// <summary>Creates the reporter over the sidecar's <paramref name="connection"/>.</summary>
    public AgentReporter(ControlPlaneConnection connection, ILocalAgentSource source, ILogger<AgentReporter> logger)
        : this(connection, ownsConnection: false, source, logger)
    {
    }

    /// <summary>Creates the reporter with a connection of its own.</summary>
    public AgentReporter(ControlPlaneClientOptions options, ILocalAgentSource source, TimeProvider time, ILogger<AgentReporter> logger)
        : this(new ControlPlaneConnection(options, time), ownsConnection: true, source, logger)
    {
    }

    private AgentReporter(ControlPlaneConnection connection, bool ownsConnection, ILocalAgentSource source, ILogger<AgentReporter> logger)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _source = source;
        _logger = logger;
    }

    /// <summary>Successful reports so far.</summary>
    public int Reports { get; private set; }

    public override void Dispose()
    {
        if (_ownsConnection)
        {
            _connection.Dispose();
        }

        base.Dispose();
    }

    /// <summary>Reports once if something changed (or the refresh is due); true when a report was accepted.</summary>
    public async Task<bool> ReportIfChangedAsync(CancellationToken cancellationToken)
    {
        if (_source.BusAddress is not { } address)
        {
            return false;
        }

        var agents = _source.ConnectedAgents();
        var key = address + "|" + string.Join(',', agents);
        var due = _connection.Time.GetElapsedTime(_lastReportedAt) >= _connection.Options.AgentReportRefresh;
        if (key == _lastReported && !due)
        {
            return false;
        }

        var answer = await _connection.ReportAgentsAsync(new BusAgentReport(address, agents), cancellationToken).ConfigureAwait(false);
        if (!answer.Accepted)
        {
            LogRefused(answer.Status, answer.Problem ?? string.Empty);
            return false;
        }

        _lastReported = key;
        _lastReportedAt = _connection.Time.GetTimestamp();
        Reports++;
        LogReported(agents.Count, address);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReportIfChangedAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
            {
                LogFailed(ex.GetType().Name, ex.Message);
            }

            try
            {
                await Task.Delay(_connection.Options.AgentReportInterval, _connection.Time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Debug, Message = "[cdd01ef066bc6cf2] reported {Count} bus agents at {Address} to the control plane")]
    private partial void LogReported(int count, string address);

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] the control plane refused the agent report ({Status}): {Body}")]
    private partial void LogRefused(int status, string body);

    [LoggerMessage(EventId = 712, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] agent report failed ({Kind}: {Reason}); retrying")]
    private partial void LogFailed(string kind, string reason);
}
