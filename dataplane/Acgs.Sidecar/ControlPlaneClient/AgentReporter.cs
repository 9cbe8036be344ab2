// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Tells the control plane which agents are connected to this sidecar's bus and where the bus is:
/// <c>PUT /api/v1/discovery/{service}/{node}/agents</c> with <c>{"bus_address","agents"}</c> (same Bearer token
/// as the watch stream). Checks every <see cref="ControlPlaneClientOptions.AgentReportInterval"/> and reports
/// when the list or address changed, and at least every <see cref="ControlPlaneClientOptions.AgentReportRefresh"/>
/// (the control plane keeps reports in memory and pushes only on change). The control plane compiles the
/// reports of every sidecar into the snapshots' <c>agent_directory</c>. Does nothing without a bus.
/// </summary>
internal sealed partial class AgentReporter : BackgroundService
{
    private readonly ControlPlaneClientOptions _options;
    private readonly ILocalAgentSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentReporter> _logger;
    private readonly HttpClient _http;
    private string? _lastReported;
    private long _lastReportedAt;

    public AgentReporter(ControlPlaneClientOptions options, ILocalAgentSource source, TimeProvider time, ILogger<AgentReporter> logger)
    {
        _options = options;
        _source = source;
        _time = time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) }) { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(10) };
        if (options.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }
    }

    /// <summary>Successful reports so far.</summary>
    public int Reports { get; private set; }

    public override void Dispose()
    {
        _http.Dispose();
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
        var due = _time.GetElapsedTime(_lastReportedAt) >= _options.AgentReportRefresh;
        if (key == _lastReported && !due)
        {
            return false;
        }

        var body = new JsonObject { ["bus_address"] = address, ["agents"] = new JsonArray([.. agents.Select(a => (JsonNode)a)]) };
        var path = "/api/v1/discovery/" + Uri.EscapeDataString(_options.ServiceName) + "/" + Uri.EscapeDataString(_options.NodeId) + "/agents";
        // The node's own text, not PutAsJsonAsync: that overload serializes by reflection, which
        // Native AOT publishing cannot keep (IL2026/IL3050).
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PutAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            LogRefused((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            return false;
        }

        _lastReported = key;
        _lastReportedAt = _time.GetTimestamp();
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
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                LogFailed(ex.GetType().Name, ex.Message);
            }

            try
            {
                await Task.Delay(_options.AgentReportInterval, _time, stoppingToken).ConfigureAwait(false);
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
