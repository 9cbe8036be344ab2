// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Serialization;

namespace Acgs.Perf.Convergence;

/// <summary>
/// A watcher that behaves like a sidecar's control-plane client (<c>ControlPlaneWatchClient</c>): it holds the
/// NDJSON watch stream, parses and validates every pushed snapshot with the shared validator (keeping its own
/// <see cref="TrustAnchorMemo"/> across snapshots, as the sidecar's <c>ConfigApplier</c> does), and ACKs it
/// (NACKs when invalid). Records, per version, when the line arrived, how long parsing + validation took
/// (the sidecar's own work, which on a real mesh runs on the sidecar's machine) and when its ACK completed.
/// With <paramref name="fullWork"/> false it only scans the line (version, nonce, the inbound breaker's
/// fail_max marker) with a <see cref="Utf8JsonReader"/> and ACKs: 100 real sidecars parse and validate in
/// parallel on their own CPUs, so running 100 full parses in this one process on 2 cores would measure
/// the simulator rather than the control plane. The benchmark keeps some full watchers on every round.
/// Like the sidecar, it answers on the ACK stream (the sidecar's own <c>AckStream</c>) when the watch response offers one
/// (<see cref="WatchLines.AckStreamHeader"/>), else (an older control plane) with one <c>POST</c> per answer.
/// </summary>
internal sealed class SimulatedSidecar(HttpClient http, HttpClient acks, string service, string node, int port, bool fullWork)
{
    private readonly Dictionary<int, Timing> _timings = [];
    private readonly Lock _gate = new();
    private readonly TrustAnchorMemo _anchors = new();
    private CancellationTokenSource? _stream;
    private volatile bool _reconnectNow;
    private int _generation;
    private int _ackedGeneration;
    private long _firstAckOfStream;
    private JsonObject? _base;
    private string? _baseVersion;

    /// <summary>True after the first snapshot was ACKed.</summary>
    public bool Ready { get; private set; }

    /// <summary>Timestamps of the snapshot with inbound fail_max <paramref name="failMax"/>, once its ACK completed.</summary>
    public bool TryGetTiming(int failMax, out Timing timing)
    {
        lock (_gate)
        {
            return _timings.TryGetValue(failMax, out timing);
        }
    }

    /// <summary>Streams opened so far (1 after the first connection; a drop or a control-plane restart adds one).</summary>
    public int Generation => Volatile.Read(ref _generation);

    /// <summary>The stream whose snapshot this watcher ACKed last, and when that stream's first ACK completed.</summary>
    public (int Generation, long FirstAck) LastAckedStream
    {
        get
        {
            lock (_gate)
            {
                return (_ackedGeneration, _firstAckOfStream);
            }
        }
    }

    /// <summary>Bytes of the longest snapshot line read.</summary>
    public int LineBytes { get; private set; }

    /// <summary>Ends the current stream; the watcher reconnects at once (a storm: every watcher dropped together).</summary>
    public void Drop()
    {
        _reconnectNow = true;
        _stream?.Cancel();
    }

    /// <summary>Holds the watch stream; when it ends (control plane killed, dropped) reconnects like a sidecar: full-jitter backoff from 500 ms up to 30 s.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _stream = stream;
            try
            {
                await WatchOnceAsync(stream.Token).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                failures++;
            }

            if (!_reconnectNow)
            {
                var ceiling = Math.Min(30_000, 500 * Math.Pow(2, Math.Min(Math.Max(failures, 1) - 1, 30)));
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(10, ceiling * Random.Shared.NextDouble())), cancellationToken).ConfigureAwait(false);
            }

            _reconnectNow = false;
        }
    }

    private async Task WatchOnceAsync(CancellationToken cancellationToken)
    {
        var url = ControlPlaneRoutes.Watch(service, node, "127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture), deltas: true);
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        Interlocked.Increment(ref _generation);
        var ackStream = response.Headers.TryGetValues(WatchLines.AckStreamHeader, out var offered) && offered.Contains("1")
            ? new Acgs.Sidecar.ControlPlaneClient.AckStream(http, ControlPlaneRoutes.AckStream(service, node), null, TimeProvider.System)
            : null;
        try
        {
            await ReadLinesAsync(response, ackStream, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ackStream is not null)
            {
                await ackStream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ReadLinesAsync(HttpResponseMessage response, Acgs.Sidecar.ControlPlaneClient.AckStream? ackStream, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    var line = buffer.Slice(0, end);
                    LineBytes = Math.Max(LineBytes, (int)line.Length);
                    await HandleAsync(line.IsSingleSegment ? line.First : line.ToArray(), ackStream, cancellationToken).ConfigureAwait(false);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> line, Acgs.Sidecar.ControlPlaneClient.AckStream? ackStream, CancellationToken cancellationToken)
    {
        var received = Stopwatch.GetTimestamp();
        int failMax;
        long processed;
        if (fullWork)
        {
            var message = JsonNode.Parse(line.Span)!.AsObject();
            var type = (string?)message["type"];
            if (type == WatchLines.DeltaType)
            {
                // As the sidecar does: the patch applied to a copy of the last ACKed snapshot, then the same parse and validation.
                if (_base is null || (string?)message["base"] != _baseVersion || message["patch"] is not JsonObject patch)
                {
                    message["snapshot"] = null;
                }
                else
                {
                    var patched = _base.DeepClone().AsObject();
                    JsonMergePatch.Apply(patched, patch);
                    message["snapshot"] = patched;
                }
            }
            else if (type != WatchLines.SnapshotType)
            {
                return;
            }

            ConfigSnapshot? snapshot = null;
            var error = "snapshot: missing (delta against an unknown base)";
            var ok = message["snapshot"] is JsonObject tree && ConfigSnapshotJson.TryParse(tree, out snapshot, out error);
            var errors = ok ? ConfigSnapshotValidator.Validate(snapshot!, _anchors) : [error!];
            var version = (string?)message["version"] ?? string.Empty;
            if (errors.Count == 0)
            {
                _base = message["snapshot"]!.AsObject();
                _baseVersion = version;
            }

            var ack = SnapshotAck.Answer(service, node, version, (string?)message["nonce"], errors);
            processed = Stopwatch.GetTimestamp();
            await AnswerAsync(ack, ackStream, cancellationToken).ConfigureAwait(false);
            failMax = snapshot?.Inbound.Breaker?.FailMax ?? 0;
        }
        else
        {
            if (!LineScanner.Scan(line.Span, out var version, out var nonce, out failMax))
            {
                return;
            }

            var ack = SnapshotAck.Answer(service, node, version ?? string.Empty, nonce, []);
            processed = Stopwatch.GetTimestamp();
            await AnswerAsync(ack, ackStream, cancellationToken).ConfigureAwait(false);
        }

        var acked = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _timings.TryAdd(failMax, new Timing(received, processed - received, acked));
            Ready = true;
            var generation = Generation;
            if (_ackedGeneration != generation)
            {
                _ackedGeneration = generation;
                _firstAckOfStream = acked;
            }
        }
    }

    /// <summary>Sends <paramref name="ack"/> on the ACK stream, or (none offered, or broken) as a POST whose answer is awaited.</summary>
    private async Task AnswerAsync(SnapshotAck ack, Acgs.Sidecar.ControlPlaneClient.AckStream? ackStream, CancellationToken cancellationToken)
    {
        if (ackStream is not null)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(ack, AcgsJsonContext.Default.SnapshotAck);
            var line = new byte[json.Length + 1];
            json.CopyTo(line, 0);
            line[^1] = (byte)'\n';
            if (await ackStream.TrySendAsync(line, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        using var answer = await acks.PostAsJsonAsync(ControlPlaneRoutes.Ack, ack, AcgsJsonContext.Default.SnapshotAck, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>When the line was read, how long parse + validate + building the ACK took (ticks), when the ACK completed.</summary>
    internal readonly record struct Timing(long Received, long ProcessingTicks, long Acked);
}
