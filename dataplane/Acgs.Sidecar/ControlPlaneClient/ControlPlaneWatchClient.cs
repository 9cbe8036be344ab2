// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Discovery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

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

    /// <summary>The ACK stream's keep-alive: an empty line.</summary>
    private static readonly ReadOnlyMemory<byte> KeepAlive = new byte[] { (byte)'\n' };

    private readonly ControlPlaneConnection _connection;
    private readonly bool _ownsConnection;
    private readonly ISnapshotApplier _applier;
    private readonly ILogger<ControlPlaneWatchClient> _logger;
    private readonly BreakerResetter? _resetter;
    private readonly ResiliencePipeline<bool> _reconnect;

    // The ACK of the latest applied version and a NACK sent after it (both sent again when the ACK stream is found ended), and
    // whether this watch's ACK stream ended: its last lines may never have been read. Touched by the watch loop only (one watch at a time).
    private SnapshotAck? _applied;
    private SnapshotAck? _refused;
    private bool _ackStreamLost;

    /// <summary>Creates the client over the sidecar's <paramref name="connection"/>; <paramref name="resetter"/> performs the breaker resets snapshots carry (none without it).</summary>
    public ControlPlaneWatchClient(ControlPlaneConnection connection, ISnapshotApplier applier, ILogger<ControlPlaneWatchClient> logger, BreakerResetter? resetter = null)
        : this(connection, ownsConnection: false, applier, logger, resetter)
    {
    }

    /// <summary>Creates the client with a connection of its own.</summary>
    public ControlPlaneWatchClient(ControlPlaneClientOptions options, ISnapshotApplier applier, TimeProvider time, ILogger<ControlPlaneWatchClient> logger, BreakerResetter? resetter = null)
        : this(new ControlPlaneConnection(options, time), ownsConnection: true, applier, logger, resetter)
    {
    }

    private ControlPlaneWatchClient(ControlPlaneConnection connection, bool ownsConnection, ISnapshotApplier applier, ILogger<ControlPlaneWatchClient> logger, BreakerResetter? resetter)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _applier = applier;
        _logger = logger;
        _resetter = resetter;
        var options = connection.Options;
        _reconnect = ControlPlaneResilience.UntilAccepted(connection.Time, _ => Backoff(Failures, options.BackoffMin, options.BackoffMax, Random.Shared.NextDouble()));
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
        var (snapshot, error) = await LastKnownGood.ReadAsync(_connection.Options.LastKnownGoodPath, cancellationToken).ConfigureAwait(false);
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
        if (_ownsConnection)
        {
            _connection.Dispose();
        }

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // WatchOnceAsync returns false whenever the stream ends: the pipeline reconnects after Backoff(Failures) until stopped.
            await _reconnect.ExecuteAsync(static (client, token) => new ValueTask<bool>(client.WatchOnceAsync(token)), this, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Holds the stream until it ends; false (a failure counted) unless the sidecar is stopping.</summary>
    private async Task<bool> WatchOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _connection.OpenWatchAsync(cancellationToken).ConfigureAwait(false);
            var acks = await _connection.OpenAckStreamAsync(response, cancellationToken).ConfigureAwait(false);
            _ackStreamLost = false;
            try
            {
                await ReadLinesAsync(response, acks, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (acks is not null)
                {
                    await acks.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException or Polly.Timeout.TimeoutRejectedException)
        {
            LogStreamFailed(ex.GetType().Name, ex.Message);
        }

        Connected = false;
        Failures++;
        return false;
    }

    /// <summary>Reads the watch stream's lines until it ends, answering each snapshot or delta (on <paramref name="acks"/> when open).</summary>
    private async Task ReadLinesAsync(HttpResponseMessage response, AckStream? acks, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var reader = new StreamReader(body);
            Connected = true;
            Failures = 0;
            LogConnected(_connection.Options.Url.ToString());
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject message)
                {
                    continue;
                }

                var type = (string?)message["type"];
                if (type == WatchLines.SnapshotType || type == WatchLines.DeltaType)
                {
                    await HandleAsync(message, type == WatchLines.DeltaType ? Patch(message) : null, acks, cancellationToken).ConfigureAwait(false);
                }
                else if (type == WatchLines.HeartbeatType && acks is not null && !_ackStreamLost
                    && !await acks.TrySendAsync(KeepAlive, cancellationToken).ConfigureAwait(false))
                {
                    // An idle watch's heartbeat is answered with an empty line on the ACK stream: it keeps the connection from idling
                    // out, and a stream the control plane closed (a write after that fails) is found without waiting for a change.
                    await AckStreamLostAsync(current: null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Answers one snapshot line (or delta line, already patched into <c>snapshot</c> by <see cref="Patch"/>, or refused
    /// with <paramref name="deltaError"/>): parse, validate and apply through the single apply path, then ACK or NACK.
    /// </summary>
    private async Task HandleAsync(JsonObject message, string? deltaError, AckStream? acks, CancellationToken cancellationToken)
    {
        var version = (string?)message["version"] ?? string.Empty;
        var nonce = (string?)message["nonce"];
        IReadOnlyList<string> errors;
        if (deltaError is not null)
        {
            errors = [deltaError];
        }
        else if (message["snapshot"] is not JsonObject node || !ConfigSnapshotJson.TryParse(node, out var snapshot, out var parseError))
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
            await SaveLastKnownGoodAsync(snapshot, cancellationToken).ConfigureAwait(false);
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

                await SaveLastKnownGoodAsync(snapshot, cancellationToken).ConfigureAwait(false);
            }
        }

        if (errors.Count == 0)
        {
            Retain(message, version);
        }

        var options = _connection.Options;
        var answer = SnapshotAck.Answer(options.ServiceName, options.NodeId, version, nonce, errors);
        if (acks is null || _ackStreamLost || AckLine(answer) is not { IsEmpty: false } line || !await acks.TrySendAsync(line, cancellationToken).ConfigureAwait(false))
        {
            if (acks is { Broken: true } && !_ackStreamLost)
            {
                await AckStreamLostAsync(answer, cancellationToken).ConfigureAwait(false);
            }

            await _connection.AcknowledgeAsync(answer, cancellationToken).ConfigureAwait(false);
        }

        if (errors.Count == 0)
        {
            (_applied, _refused) = (answer, null);
        }
        else
        {
            _refused = answer;
            LogNacked(version, string.Join("; ", errors));
        }
    }

    /// <summary>
    /// The ACK stream was found ended (a write failed): lines written before may have been lost with it (written into the
    /// connection, not yet read when the control plane closed it at a token expiry, a restart or for a newer stream), so the ACK of
    /// the applied version, and a NACK sent after it, are POSTed again — unless <paramref name="current"/>, about to be POSTed,
    /// is a newer ACK — and every later answer of this watch goes by POST. The control plane takes a repeated answer as the same
    /// state (it counts it again in <c>acgs_controlplane_acks_total</c> or <c>nacks_total</c>).
    /// </summary>
    private async Task AckStreamLostAsync(SnapshotAck? current, CancellationToken cancellationToken)
    {
        _ackStreamLost = true;
        if (current is { Accepted: true })
        {
            return;
        }

        if (_applied is { } applied)
        {
            await _connection.AcknowledgeAsync(applied, cancellationToken).ConfigureAwait(false);
            LogAckStreamLost(applied.Version ?? string.Empty);
        }

        if (_refused is { } refused && current is null)
        {
            await _connection.AcknowledgeAsync(refused, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The ACK stream line of <paramref name="answer"/> (newline included); empty when too long for the stream (then it goes by POST).</summary>
    private static ReadOnlyMemory<byte> AckLine(SnapshotAck answer)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(answer, Acgs.Contracts.Serialization.AcgsJsonContext.Default.SnapshotAck);
        if (json.Length > WatchLines.AckLineMaxBytes)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>
    /// Keeps <paramref name="snapshot"/> as the last-known-good file. A file that cannot be written (read-only or full
    /// disk, a directory owned by someone else) is logged and the snapshot still serves and is ACKed: losing the copy
    /// for the next start must not stop the sidecar taking config now.
    /// </summary>
    private async Task SaveLastKnownGoodAsync(ConfigSnapshot snapshot, CancellationToken cancellationToken)
    {
        try
        {
            await LastKnownGood.WriteAsync(_connection.Options.LastKnownGoodPath, snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogLastKnownGoodNotWritten(_connection.Options.LastKnownGoodPath, e.Message);
        }
    }
}
