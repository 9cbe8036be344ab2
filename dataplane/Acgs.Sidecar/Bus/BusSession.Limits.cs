// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// A connection's timeouts (checked by <see cref="BusRouter.SweepTimeouts"/>, not per frame): register within
/// <see cref="BusOptions.RegisterTimeout"/>, finish a started frame within <see cref="BusOptions.FrameTimeout"/>,
/// and, once registered, send something within <see cref="BusOptions.IdleTimeout"/> (a ping at half of it asks a
/// quiet client for a pong). Past one: a <c>timeout</c> error frame, then the connection closes.
/// </summary>
internal sealed partial class BusSession
{
    private readonly long _openedAt;
    private long _lastRead;
    private long _partialSince;
    private volatile bool _pingSent;

    /// <summary>Per read batch: the client is alive; a frame left incomplete starts (or keeps) the frame timer.</summary>
    private void NoteRead(long before, long left, bool incomplete)
    {
        var now = Router.Time.GetTimestamp();
        Volatile.Write(ref _lastRead, now);
        _pingSent = false;
        if (!incomplete || left == 0)
        {
            Volatile.Write(ref _partialSince, 0);
        }
        else if (left != before || Volatile.Read(ref _partialSince) == 0)
        {
            // A new frame began in this batch (earlier ones completed, or none was pending).
            Volatile.Write(ref _partialSince, now);
        }
    }

    /// <summary>Closes the connection when a timeout passed at <paramref name="now"/>; sends the idle ping.</summary>
    public void CheckTimeouts(long now)
    {
        if (_closing || Outbox.IsClosed)
        {
            return;
        }

        var options = Router.Options;
        if (AgentId is null && Router.Time.GetElapsedTime(_openedAt, now) > options.RegisterTimeout)
        {
            CloseOnTimeout(BusMetrics.RegisterTimeoutReason);
            return;
        }

        var partial = Volatile.Read(ref _partialSince);
        if (partial != 0 && Router.Time.GetElapsedTime(partial, now) > options.FrameTimeout)
        {
            CloseOnTimeout(BusMetrics.FrameTimeoutReason);
            return;
        }

        var idle = Router.Time.GetElapsedTime(Volatile.Read(ref _lastRead), now);
        if (AgentId is null || idle <= options.IdleTimeout / 2)
        {
            return;
        }

        if (idle > options.IdleTimeout)
        {
            CloseOnTimeout(BusMetrics.IdleTimeoutReason);
        }
        else if (!_pingSent)
        {
            _pingSent = true;
            SendControl(new OutboxItem(BusFrameType.Ping, BusFrameFlagBits.None, BusErrorCode.None, null, null, (ulong)now));
        }
    }

    /// <summary>A plaintext connection asked for the peer-link role while links must be mTLS: refused, counted, closed.</summary>
    private void RefusePeerLink()
    {
        Router.Metrics.ConnectionRefused(BusMetrics.PeerUnauthenticatedReason);
        BusLog.PeerLinkRefused(Router.Logger, _connection.RemoteEndPoint?.ToString() ?? _connection.ConnectionId);
        CloseNow(BusErrorCode.PeerUnauthenticated);
    }

    private void CloseOnTimeout(string reason)
    {
        Router.Metrics.ConnectionRefused(reason);
        CloseNow(BusErrorCode.Timeout);
    }

    /// <summary>Queues <paramref name="code"/> as the last frame and stops reading; the writer sends it, then the connection closes.</summary>
    private void CloseNow(BusErrorCode code)
    {
        if (CloseWithError(code))
        {
            _closing = true;
            _connection.Transport.Input.CancelPendingRead();
        }
    }
}
