// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.ControlPlane.Telemetry;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// The open ACK streams of this replica (<see cref="AckStreamEndpoint"/>): at most one per sidecar ("service|node", the identity
/// the stream's credential was authorized for), as for the watch streams (<see cref="DistributionHub.Connect"/>). A newer stream of
/// the same sidecar replaces the older one, whose lease is then <see cref="AckStreamLease.Replaced"/>: a sidecar that reconnects
/// after a network blip must not be refused because its old, half-open stream still lingers here. There is no global cap, as
/// there is none on the watch streams: the count is bounded by the sidecars' identities. Counted in
/// <c>acgs_controlplane_ack_streams</c>.
/// </summary>
internal sealed class AckStreamRegistry(ControlPlaneMetrics metrics)
{
    private readonly ConcurrentDictionary<string, AckStreamLease> _open = new(StringComparer.Ordinal);

    /// <summary>Open ACK streams.</summary>
    public int Count => _open.Count;

    /// <summary>Registers the stream of <paramref name="service"/>/<paramref name="node"/>, replacing (ending) an older one of the same sidecar.</summary>
    public AckStreamLease Open(string service, string node)
    {
        var lease = new AckStreamLease(this, service + "|" + node);
        while (true)
        {
            if (_open.TryGetValue(lease.Key, out var previous))
            {
                if (_open.TryUpdate(lease.Key, lease, previous))
                {
                    previous.Replace();
                    break;
                }
            }
            else if (_open.TryAdd(lease.Key, lease))
            {
                break;
            }
        }

        metrics.AckStreams.Set(_open.Count);
        return lease;
    }

    /// <summary>Removes <paramref name="lease"/> unless a newer stream already took its place.</summary>
    internal void Close(AckStreamLease lease)
    {
        if (_open.TryRemove(new KeyValuePair<string, AckStreamLease>(lease.Key, lease)))
        {
            metrics.AckStreams.Set(_open.Count);
        }
    }
}

/// <summary>One open ACK stream in the <see cref="AckStreamRegistry"/>; disposing it (the stream ended) removes it.</summary>
internal sealed class AckStreamLease : IDisposable
{
    private readonly AckStreamRegistry _registry;
    private readonly CancellationTokenSource _replaced = new();

    internal AckStreamLease(AckStreamRegistry registry, string key)
    {
        _registry = registry;
        Key = key;
        Replaced = _replaced.Token;
    }

    /// <summary>"service|node".</summary>
    public string Key { get; }

    /// <summary>Cancelled when a newer stream of the same sidecar replaced this one.</summary>
    public CancellationToken Replaced { get; }

    public void Dispose()
    {
        _registry.Close(this);
        _replaced.Dispose();
    }

    internal void Replace()
    {
        try
        {
            _replaced.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The replaced stream ended meanwhile.
        }
    }
}
