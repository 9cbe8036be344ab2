// Constitutional Hash: cdd01ef066bc6cf2

using System.Threading.Channels;
using Acgs.Contracts.Config;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// One connected sidecar's watch stream. Pushes go through a one-slot channel that keeps only the
/// newest snapshot: snapshots are full, so a slow sidecar skips intermediate ones instead of queueing them.
/// </summary>
internal sealed class Watcher
{
    private readonly Channel<ConfigSnapshot> _pushes = Channel.CreateBounded<ConfigSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public Watcher(string serviceName, string nodeId, string address, DateTimeOffset connectedAt)
    {
        ServiceName = serviceName;
        NodeId = nodeId;
        Address = address;
        ConnectedAt = connectedAt;
    }

    public string ServiceName { get; }

    public string NodeId { get; }

    public string Address { get; }

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>"service|node".</summary>
    public string Key => ServiceName + "|" + NodeId;

    /// <summary>The last version queued for this sidecar.</summary>
    public string? PushedVersion { get; private set; }

    /// <summary>The nonce of the last snapshot written to the stream.</summary>
    public string? LastNonce { get; set; }

    /// <summary>The last version the sidecar ACKed.</summary>
    public string? AckedVersion { get; set; }

    /// <summary>The last NACKed version and its errors.</summary>
    public string? NackedVersion { get; set; }

    /// <summary>Errors of the last NACK.</summary>
    public IReadOnlyList<string> LastErrors { get; set; } = [];

    /// <summary>Snapshots waiting to be written (read by the stream loop).</summary>
    public ChannelReader<ConfigSnapshot> Pushes => _pushes.Reader;

    /// <summary>Queues <paramref name="snapshot"/> unless it is already the last one queued.</summary>
    public bool Push(ConfigSnapshot snapshot)
    {
        if (string.Equals(PushedVersion, snapshot.Version, StringComparison.Ordinal))
        {
            return false;
        }

        PushedVersion = snapshot.Version;
        return _pushes.Writer.TryWrite(snapshot);
    }

    /// <summary>Ends the stream (replaced by a newer connection of the same node, or shutdown).</summary>
    public void Complete() => _pushes.Writer.TryComplete();
}
