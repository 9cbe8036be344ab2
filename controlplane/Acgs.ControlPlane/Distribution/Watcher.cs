// Constitutional Hash: cdd01ef066bc6cf2

using System.Threading.Channels;
using Acgs.Contracts.Config;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// One connected sidecar's watch stream. Pushes go through a one-slot channel that keeps only the
/// newest snapshot: snapshots are full, so a slow sidecar skips intermediate ones instead of queueing them.
/// A null in the channel is a wake-up without a snapshot (<see cref="Wake"/>: a heartbeat is due, or the stream is ending),
/// written only into an empty channel so it never displaces a snapshot; the stream loop then needs no cancellation (and
/// no exception) to leave its wait.
/// </summary>
internal sealed class Watcher
{
    private readonly Channel<ConfigSnapshot?> _pushes = Channel.CreateBounded<ConfigSnapshot?>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    // Writers of the channel (pushes, a NACKed delta's full snapshot, wake-ups) take it, so a wake-up's "is it empty" and
    // its write are one step: it never lands on (and drops) a snapshot queued in between.
    private readonly Lock _writing = new();

    private WrittenLine? _written;
    private string? _baseVersion;

    public Watcher(string serviceName, string nodeId, string address, DateTimeOffset connectedAt, bool deltas = false)
    {
        Deltas = deltas;
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

    /// <summary>
    /// True while this stream gets delta lines (<see cref="Acgs.Contracts.ControlPlane.WatchLines.DeltaType"/>): asked for
    /// when it opened, off for the rest of the stream once the sidecar NACKs a delta.
    /// </summary>
    public bool Deltas { get; private set; }

    /// <summary>The version the sidecar ACKed last on this stream (the base of the next delta), or null.</summary>
    public string? BaseVersion => Volatile.Read(ref _baseVersion);

    /// <summary>Snapshots waiting to be written (read by the stream loop); null is a wake-up without one (<see cref="Wake"/>).</summary>
    public ChannelReader<ConfigSnapshot?> Pushes => _pushes.Reader;

    /// <summary>Queues <paramref name="snapshot"/> unless it is already the last one queued.</summary>
    public bool Push(ConfigSnapshot snapshot)
    {
        lock (_writing)
        {
            if (string.Equals(PushedVersion, snapshot.Version, StringComparison.Ordinal))
            {
                return false;
            }

            PushedVersion = snapshot.Version;
            return _pushes.Writer.TryWrite(snapshot);
        }
    }

    /// <summary>Wakes the stream loop without a snapshot, unless one is queued (that wakes it anyway and must not be dropped).</summary>
    public void Wake()
    {
        lock (_writing)
        {
            if (_pushes.Reader.Count == 0)
            {
                _pushes.Writer.TryWrite(null);
            }
        }
    }

    /// <summary>Records the line just written to the stream (the stream loop).</summary>
    public void Wrote(ConfigSnapshot snapshot, bool delta) => Volatile.Write(ref _written, new WrittenLine(snapshot, delta));

    /// <summary>
    /// An ACK (<paramref name="accepted"/>) or NACK of <paramref name="version"/>: an ACKed line's version becomes the base of
    /// the next delta; a NACKed delta turns deltas off for this stream and queues <paramref name="current"/> again in full.
    /// </summary>
    public void Answered(string? version, bool accepted, ConfigSnapshot? current)
    {
        if (Volatile.Read(ref _written) is not { } written || !string.Equals(written.Snapshot.Version, version, StringComparison.Ordinal))
        {
            return;
        }

        if (accepted)
        {
            Volatile.Write(ref _baseVersion, written.Snapshot.Version);
        }
        else if (written.Delta)
        {
            Deltas = false;
            Volatile.Write(ref _baseVersion, null);
            if (current is not null)
            {
                lock (_writing)
                {
                    // Only while the NACKed line is still the last one queued: a newer push since (current was read before
                    // this lock) must not be replaced by an older snapshot.
                    if (string.Equals(PushedVersion, written.Snapshot.Version, StringComparison.Ordinal))
                    {
                        PushedVersion = current.Version;
                        _pushes.Writer.TryWrite(current);
                    }
                }
            }
        }
    }

    /// <summary>Ends the stream (replaced by a newer connection of the same node, or shutdown).</summary>
    public void Complete() => _pushes.Writer.TryComplete();

    private sealed record WrittenLine(ConfigSnapshot Snapshot, bool Delta);
}
