// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The router's limits: open connections of the framed listener, bytes held by all connections (the total byte
/// budget) and the sweep that enforces the register, frame and idle timeouts (docs/limits.md, "Bus").
/// </summary>
internal sealed partial class BusRouter
{
    private long _heldBytes;
    private int _connections;
    private ITimer? _sweep;

    /// <summary>How peer links are authenticated (mTLS with the workload certificate when identity is on).</summary>
    public BusPeerTls PeerTls { get; init; } = BusPeerTls.Plaintext;

    /// <summary>Bytes of messages held by every connection (queued or in flight).</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    /// <summary>Accepted connections (agents and incoming peer links; see <see cref="BusSession.PeerIdentity"/>).</summary>
    public ICollection<BusSession> Sessions => _sessions.Keys;

    /// <summary>Open connections on the framed listener.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Takes a connection slot; false at <see cref="BusOptions.MaxConnections"/>.</summary>
    public bool TryAcquireConnection()
    {
        if (Interlocked.Increment(ref _connections) > Options.MaxConnections)
        {
            Interlocked.Decrement(ref _connections);
            return false;
        }

        Metrics.ConnectionOpened();
        return true;
    }

    /// <summary>Gives a connection slot back.</summary>
    public void ReleaseConnection()
    {
        Interlocked.Decrement(ref _connections);
        Metrics.ConnectionClosed();
    }

    /// <summary>Reserves <paramref name="bytes"/> of the total budget; false when it would be exceeded.</summary>
    public bool TryHoldBytes(int bytes)
    {
        if (Interlocked.Add(ref _heldBytes, bytes) > Options.TotalQueueBytes)
        {
            Interlocked.Add(ref _heldBytes, -bytes);
            return false;
        }

        return true;
    }

    /// <summary>Gives back bytes reserved with <see cref="TryHoldBytes"/>.</summary>
    public void ReleaseBytes(int bytes) => Interlocked.Add(ref _heldBytes, -bytes);

    /// <summary>Starts the periodic sweep of connection timeouts (a quarter of the shortest timeout, at least 10 ms).</summary>
    public void StartTimeouts()
    {
        var shortest = Options.RegisterTimeout;
        shortest = Options.FrameTimeout < shortest ? Options.FrameTimeout : shortest;
        shortest = Options.IdleTimeout / 2 < shortest ? Options.IdleTimeout / 2 : shortest;
        var period = shortest / 4 < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : shortest / 4;
        _sweep ??= Time.CreateTimer(static state => ((BusRouter)state!).SweepTimeouts(), this, period, period);
    }

    /// <summary>Stops the sweep.</summary>
    public void StopTimeouts() => _sweep?.Dispose();

    /// <summary>Checks every accepted connection against the timeouts (not the hot path).</summary>
    public void SweepTimeouts()
    {
        var now = Time.GetTimestamp();
        foreach (var session in _sessions.Keys)
        {
            session.CheckTimeouts(now);
        }
    }
}
