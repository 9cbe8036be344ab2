// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;

namespace Acgs.Perf.Convergence;

/// <summary>
/// A watcher that behaves like a sidecar's control-plane client: it holds the NDJSON watch stream,
/// parses and validates every pushed snapshot with the shared validator, and ACKs it (NACKs when invalid).
/// Records, per version, when its ACK completed.
/// </summary>
internal sealed class SimulatedSidecar(HttpClient http, string service, string node, int port)
{
    private readonly Dictionary<int, long> _ackedAt = [];
    private readonly Lock _gate = new();

    /// <summary>The inbound breaker fail_max of the last ACKed snapshot (the benchmark's marker).</summary>
    public int LastFailMax { get; private set; } = -1;

    /// <summary>True after the first snapshot was ACKed.</summary>
    public bool Ready { get; private set; }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the ACK of a snapshot with inbound fail_max <paramref name="failMax"/> completed.</summary>
    public bool TryGetAckTime(int failMax, out long timestamp)
    {
        lock (_gate)
        {
            return _ackedAt.TryGetValue(failMax, out timestamp);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var url = $"/api/v1/discovery/watch?service={service}&node={node}&address=127.0.0.1:{port}";
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            if ((string?)message["type"] != "snapshot")
            {
                continue;
            }

            var ok = ConfigSnapshotJson.TryParse(message["snapshot"]!.AsObject(), out var snapshot, out var error);
            var errors = ok ? ConfigSnapshotValidator.Validate(snapshot) : [error!];
            var ack = new JsonObject
            {
                ["service_name"] = service,
                ["node_id"] = node,
                ["version"] = (string?)message["version"],
                ["nonce"] = (string?)message["nonce"],
                ["accepted"] = errors.Count == 0,
                ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode?)JsonValue.Create(e))]),
            };
            using var answer = await http.PostAsJsonAsync("/api/v1/discovery/ack", ack, cancellationToken).ConfigureAwait(false);
            var failMax = snapshot?.Inbound.Breaker?.FailMax ?? 0;
            lock (_gate)
            {
                _ackedAt.TryAdd(failMax, Stopwatch.GetTimestamp());
                LastFailMax = failMax;
                Ready = true;
            }
        }
    }
}
