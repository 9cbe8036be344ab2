// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
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
internal sealed class SimulatedSidecar(HttpClient http, string service, string node, int port, bool fullWork)
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
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var received = Stopwatch.GetTimestamp();
            int failMax;
            long processed;
            if (fullWork)
            {
                var message = JsonNode.Parse(line)!.AsObject();
                if ((string?)message["type"] != "snapshot")
                {
                    continue;
                }

                var ok = ConfigSnapshotJson.TryParse(message["snapshot"]!.AsObject(), out var snapshot, out var error);
                var errors = ok ? ConfigSnapshotValidator.Validate(snapshot) : [error!];
                var ack = SnapshotAck.Answer(service, node, (string?)message["version"] ?? string.Empty, (string?)message["nonce"], errors);
                processed = Stopwatch.GetTimestamp();
                using var answer = await http.PostAsJsonAsync(ControlPlaneRoutes.Ack, ack, AcgsJsonContext.Default.SnapshotAck, cancellationToken).ConfigureAwait(false);
                failMax = snapshot?.Inbound.Breaker?.FailMax ?? 0;
            }
            else
            {
                if (!Scan(line, out var version, out var nonce, out failMax))
                {
                    continue;
                }

                var ack = SnapshotAck.Answer(service, node, version ?? string.Empty, nonce, []);
                processed = Stopwatch.GetTimestamp();
                using var answer = await http.PostAsJsonAsync(ControlPlaneRoutes.Ack, ack, AcgsJsonContext.Default.SnapshotAck, cancellationToken).ConfigureAwait(false);
            }

            var acked = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                _timings.TryAdd(failMax, new Timing(received, processed - received, acked));
                Ready = true;
            }
        }
    }

    /// <summary>Reads type, version, nonce and snapshot.inbound.breaker.fail_max from one NDJSON line without building a DOM.</summary>
    private static bool Scan(string line, out string? version, out string? nonce, out int failMax)
    {
        version = null;
        nonce = null;
        failMax = 0;
        var snapshot = false;
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line));
        var path = new string?[8];
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    break;
                case JsonTokenType.StartObject:
                    if (reader.CurrentDepth < path.Length)
                    {
                        path[reader.CurrentDepth] = property;
                    }

                    break;
                case JsonTokenType.String when reader.CurrentDepth == 1:
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

                    break;
                case JsonTokenType.Number when reader.CurrentDepth == 4 && property == "fail_max"
                    && path[1] == "snapshot" && path[2] == "inbound" && path[3] == "breaker":
                    failMax = reader.GetInt32();
                    break;
            }
        }

        return snapshot && version is not null && nonce is not null;
    }

    /// <summary>When the line was read, how long parse + validate + building the ACK took (ticks), when the ACK completed.</summary>
    internal readonly record struct Timing(long Received, long ProcessingTicks, long Acked);
}
