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
/// NDJSON watch stream, parses and validates every pushed snapshot with the shared validator, and ACKs it
/// (NACKs when invalid). Records, per version, when the line arrived, how long parsing + validation took
/// (the sidecar's own work, which on a real mesh runs on the sidecar's machine) and when its ACK completed.
/// With <paramref name="fullWork"/> false it only scans the line (version, nonce, the inbound breaker's
/// fail_max marker) with a <see cref="Utf8JsonReader"/> and ACKs: 100 real sidecars parse and validate in
/// parallel on their own CPUs, so running 100 full parses in this one process on 2 cores would measure
/// the simulator rather than the control plane. The benchmark keeps some full watchers on every round.
/// </summary>
internal sealed class SimulatedSidecar(HttpClient http, HttpClient acks, string service, string node, int port, bool fullWork)
{
    private readonly Dictionary<int, Timing> _timings = [];
    private readonly Lock _gate = new();

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

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var url = ControlPlaneRoutes.Watch(service, node, "127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
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
                    await HandleAsync(line.IsSingleSegment ? line.First : line.ToArray(), cancellationToken).ConfigureAwait(false);
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

    private async Task HandleAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken)
    {
        var received = Stopwatch.GetTimestamp();
        int failMax;
        long processed;
        if (fullWork)
        {
            var message = JsonNode.Parse(line.Span)!.AsObject();
            if ((string?)message["type"] != "snapshot")
            {
                return;
            }

            var ok = ConfigSnapshotJson.TryParse(message["snapshot"]!.AsObject(), out var snapshot, out var error);
            var errors = ok ? ConfigSnapshotValidator.Validate(snapshot) : [error!];
            var ack = SnapshotAck.Answer(service, node, (string?)message["version"] ?? string.Empty, (string?)message["nonce"], errors);
            processed = Stopwatch.GetTimestamp();
            using var answer = await acks.PostAsJsonAsync(ControlPlaneRoutes.Ack, ack, AcgsJsonContext.Default.SnapshotAck, cancellationToken).ConfigureAwait(false);
            failMax = snapshot?.Inbound.Breaker?.FailMax ?? 0;
        }
        else
        {
            if (!Scan(line.Span, out var version, out var nonce, out failMax))
            {
                return;
            }

            var ack = SnapshotAck.Answer(service, node, version ?? string.Empty, nonce, []);
            processed = Stopwatch.GetTimestamp();
            using var answer = await acks.PostAsJsonAsync(ControlPlaneRoutes.Ack, ack, AcgsJsonContext.Default.SnapshotAck, cancellationToken).ConfigureAwait(false);
        }

        var acked = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            _timings.TryAdd(failMax, new Timing(received, processed - received, acked));
            Ready = true;
        }
    }

    /// <summary>
    /// Reads type, version and nonce (the line's first properties) and snapshot.inbound.breaker.fail_max from one NDJSON line
    /// without building a DOM: the reader stops at the snapshot, and only the <c>"inbound":</c> object is read, found by search
    /// (no cluster of the benchmark is named inbound), so a scan costs microseconds however many clusters the snapshot holds.
    /// </summary>
    private static bool Scan(ReadOnlySpan<byte> line, out string? version, out string? nonce, out int failMax)
    {
        version = null;
        nonce = null;
        failMax = 0;
        var snapshot = false;
        var reader = new Utf8JsonReader(line);
        string? property = null;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 1))
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
            }
            else if (reader.TokenType == JsonTokenType.String && reader.CurrentDepth == 1)
            {
                if (property == "type")
                {
                    snapshot = reader.ValueTextEquals("snapshot"u8);
                }
                else if (property == "version")
                {
                    version = reader.GetString();
                }
                else if (property == "nonce")
                {
                    nonce = reader.GetString();
                }
            }
        }

        var inbound = line.IndexOf("\"inbound\":"u8);
        if (inbound >= 0)
        {
            var breaker = new Utf8JsonReader(line[(inbound + "\"inbound\":"u8.Length)..]);
            string? name = null;
            while (breaker.Read() && breaker.CurrentDepth >= 0 && !(breaker.TokenType == JsonTokenType.EndObject && breaker.CurrentDepth == 0))
            {
                if (breaker.TokenType == JsonTokenType.PropertyName)
                {
                    name = breaker.GetString();
                }
                else if (breaker.TokenType == JsonTokenType.Number && breaker.CurrentDepth == 2 && name == "fail_max")
                {
                    failMax = breaker.GetInt32();
                    break;
                }
            }
        }

        return snapshot && version is not null && nonce is not null;
    }

    /// <summary>When the line was read, how long parse + validate + building the ACK took (ticks), when the ACK completed.</summary>
    internal readonly record struct Timing(long Received, long ProcessingTicks, long Acked);
}
