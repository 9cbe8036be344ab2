// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Holds the watch stream to the control plane (NDJSON over HTTP/1.1, see docs/control-plane.md):
/// each pushed snapshot is validated and applied through the sidecar's single apply path, then ACKed
/// (and written to disk as last-known-good) or NACKed with the errors while the previous snapshot keeps
/// serving. Reconnects with exponential backoff and full jitter. At start, before the first connection,
/// it applies the last-known-good file if there is one (so a sidecar started while the control plane is
/// down serves the last accepted config rather than its bootstrap file); <c>/health/ready</c> shows the source.
/// An accepted snapshot's <c>breaker_resets</c> (the control plane's recovery) are performed once each by the <see cref="BreakerResetter"/>.
/// </summary>
internal sealed partial class ControlPlaneWatchClient : BackgroundService
{
    /// <summary>Source name of snapshots received from the control plane.</summary>
    public const string ControlPlaneSource = "control-plane";

    /// <summary>Source name of the last-known-good file.</summary>
    public const string LastKnownGoodSource = "last-known-good";

    private readonly ControlPlaneClientOptions _options;
    private readonly ISnapshotApplier _applier;
    private readonly TimeProvider _time;
    private readonly ILogger<ControlPlaneWatchClient> _logger;
    private readonly HttpClient _http;
    private readonly BreakerResetter? _resetter;

    /// <summary>Creates the client; <paramref name="resetter"/> performs the breaker resets snapshots carry (none without it).</summary>
    public ControlPlaneWatchClient(ControlPlaneClientOptions options, ISnapshotApplier applier, TimeProvider time, ILogger<ControlPlaneWatchClient> logger, BreakerResetter? resetter = null)
    {
        _options = options;
        _applier = applier;
        _time = time;
        _logger = logger;
        _resetter = resetter;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = options.Url,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (options.Token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }
    }

    /// <summary>True while a watch stream is open.</summary>
    public bool Connected { get; private set; }

    /// <summary>Consecutive failed connection attempts.</summary>
    public int Failures { get; private set; }

    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (1-based): a uniform draw in [0, min(max, min·2^(attempt-1))] ("full jitter"), never below 10 ms.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan min, TimeSpan max, double random)
    {
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(Math.Max(10, ceiling * random));
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var (snapshot, error) = await LastKnownGood.ReadAsync(_options.LastKnownGoodPath, cancellationToken).ConfigureAwait(false);
        if (snapshot is not null)
        {
            var result = await _applier.ApplyAsync(snapshot, LastKnownGoodSource, cancellationToken).ConfigureAwait(false);
            LogLastKnownGood(snapshot.Version, result.Accepted);
        }
        else
        {
            LogNoLastKnownGood(error ?? "unknown");
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await WatchOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException)
            {
                LogStreamFailed(ex.GetType().Name, ex.Message);
            }

            Connected = false;
            Failures++;
            var delay = Backoff(Failures, _options.BackoffMin, _options.BackoffMax, Random.Shared.NextDouble());
            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task WatchOnceAsync(CancellationToken cancellationToken)
    {
        var path = "/api/v1/discovery/watch?service=" + Uri.EscapeDataString(_options.ServiceName)
            + "&node=" + Uri.EscapeDataString(_options.NodeId) + "&address=" + Uri.EscapeDataString(_options.InboundAddress);
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var reader = new StreamReader(body);
            Connected = true;
            Failures = 0;
            LogConnected(_options.Url.ToString());
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject message || (string?)message["type"] != "snapshot")
                {
                    continue;
                }

                await HandleAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task HandleAsync(JsonObject message, CancellationToken cancellationToken)
    {
        var version = (string?)message["version"] ?? string.Empty;
        var nonce = (string?)message["nonce"];
        IReadOnlyList<string> errors;
        if (message["snapshot"] is not JsonObject node || !ConfigSnapshotJson.TryParse(node, out var snapshot, out var parseError))
        {
            errors = ["snapshot: " + (message["snapshot"] is JsonObject ? "unreadable" : "missing")];
        }
        else if (snapshot is null)
        {
            errors = [parseError ?? "snapshot: unreadable"];
        }
        else if (string.Equals(_applier.CurrentVersion, snapshot.Version, StringComparison.Ordinal) && snapshot.Version.Length > 0)
        {
            errors = [];
            await LastKnownGood.WriteAsync(_options.LastKnownGoodPath, snapshot, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var result = await _applier.ApplyAsync(snapshot, ControlPlaneSource, cancellationToken).ConfigureAwait(false);
            errors = result.Errors;
            if (result.Accepted)
            {
                // Breaker resets (recovery) are one-shot commands riding on an accepted snapshot.
                if (snapshot.BreakerResets is { IsDefaultOrEmpty: false } resets)
                {
                    _resetter?.Apply(resets);
                }

                await LastKnownGood.WriteAsync(_options.LastKnownGoodPath, snapshot, cancellationToken).ConfigureAwait(false);
            }
        }

        var ack = new JsonObject
        {
            ["service_name"] = _options.ServiceName,
            ["node_id"] = _options.NodeId,
            ["version"] = version,
            ["nonce"] = nonce,
            ["accepted"] = errors.Count == 0,
            ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode?)JsonValue.Create(e))]),
        };
        // A JsonObject serialized to text: no reflection-based serializer (trim/Native AOT safe).
        using var content = new StringContent(ack.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("/api/v1/discovery/ack", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            LogNacked(version, string.Join("; ", errors));
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] watching the control plane at {Url}")]
    private partial void LogConnected(string url);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] control-plane stream ended ({Kind}: {Reason}); previous config keeps serving, reconnecting with backoff")]
    private partial void LogStreamFailed(string kind, string reason);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] snapshot {Version} rejected (NACK); previous config keeps serving: {Errors}")]
    private partial void LogNacked(string version, string errors);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] last-known-good snapshot {Version} applied at start: {Accepted}")]
    private partial void LogLastKnownGood(string version, bool accepted);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] no last-known-good snapshot used at start ({Reason}); serving the bootstrap config")]
    private partial void LogNoLastKnownGood(string reason);
}
