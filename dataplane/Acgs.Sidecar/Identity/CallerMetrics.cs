// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Metering;
using Acgs.Sidecar.Telemetry;
using Prometheus;

namespace Acgs.Sidecar.Identity;

/// <summary>
/// <c>acgs_inbound_caller_requests_total{caller,code_class}</c>: inbound requests by the caller's verified identity (the
/// SPIFFE ID of an mTLS peer, <c>unauthenticated</c> for plaintext) and status class (<c>1xx</c>–<c>5xx</c>). Bounded:
/// at most <see cref="MaxCallers"/> distinct identities (with <c>other</c>, which every later one shares). The caller's
/// slot is resolved once per connection and kept on its <see cref="PeerIdentityFeature"/>; counting a request is an
/// array read and an increment, no allocation.
/// </summary>
internal sealed class CallerMetrics
{
    /// <summary>Most distinct caller label values, <c>other</c> included.</summary>
    public const int MaxCallers = 256;

    /// <summary>The label of callers past the bound.</summary>
    public const string Other = "other";

    private static readonly string[] Classes = ["1xx", "2xx", "3xx", "4xx", "5xx"];
    private readonly Counter _counter;
    private readonly BoundedIndex<string> _callers = new(MaxCallers, Other, StringComparer.Ordinal);
    private readonly Counter.Child?[] _children = new Counter.Child?[MaxCallers * 5];
    private readonly Counter.Child[] _unauthenticated = new Counter.Child[5];

    /// <summary>Creates the counter in <paramref name="metrics"/>' registry.</summary>
    public CallerMetrics(SidecarMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _counter = metrics.Factory.CreateCounter(
            "acgs_inbound_caller_requests_total",
            "Inbound requests by the caller's verified identity (SPIFFE ID; unauthenticated for plaintext; other past " + MaxCallers + " distinct callers) and status class.",
            new CounterConfiguration { LabelNames = ["caller", "code_class"] });
        for (var i = 0; i < Classes.Length; i++)
        {
            _unauthenticated[i] = _counter.WithLabels(PeerIdentityMiddleware.Unauthenticated, Classes[i]);
        }
    }

    /// <summary>Distinct caller identities with a label of their own so far (<c>other</c> included).</summary>
    public int Callers => _callers.Count;

    /// <summary>
    /// Counts one inbound request of the caller <paramref name="peer"/> (the connection's <see cref="PeerIdentityFeature"/>,
    /// null for a plaintext caller) with its final <paramref name="status"/>. The caller looks the feature up once per request
    /// and hands it to this and to the golden edge (<see cref="RequestTelemetryMiddleware"/>).
    /// </summary>
    public void Record(PeerIdentityFeature? peer, int status)
    {
        var cls = Math.Clamp((status / 100) - 1, 0, 4);
        if (peer is null)
        {
            _unauthenticated[cls].Inc();
            return;
        }

        var slot = peer.CallerSlot;
        if (slot < 0)
        {
            slot = _callers.Ids.TryGetValue(peer.SpiffeId, out var known) ? known : _callers.Add(peer.SpiffeId);
            peer.CallerSlot = slot; // once per connection (racing requests of one h2 connection write the same value)
        }

        var index = (slot * 5) + cls;
        (Volatile.Read(ref _children[index]) ?? Create(index)).Inc();
    }

    // Once per (caller, class): prometheus-net returns the same child to racing callers.
    private Counter.Child Create(int index)
    {
        var child = _counter.WithLabels(_callers.KeyOf(index / 5), Classes[index % 5]);
        Volatile.Write(ref _children[index], child);
        return child;
    }
}
