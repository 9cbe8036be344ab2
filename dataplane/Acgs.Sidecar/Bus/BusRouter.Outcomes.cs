// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The end of every message: <see cref="Acknowledge"/>, <see cref="Reject"/> or <see cref="Release"/> (and the
/// fail-over of one whose connection closed), each answering its sender exactly once.
/// </summary>
internal sealed partial class BusRouter
{
    /// <summary>The message reached its end: answer its sender with an ack (or delete it from the store).</summary>
    public void Acknowledge(RoutedMessage message, BusFrameFlagBits flags)
    {
        if (message.Activity is not null)
        {
            Tracing.BusTracing.Finish(message, flags, BusErrorCode.None);
        }

        if ((flags & BusFrameFlagBits.Stored) != 0)
        {
            Metrics.Stored((int)message.MessageType);
        }
        else
        {
            Metrics.Delivered((int)message.MessageType);
        }

        Settle(message, deleteStored: true, ack: true, flags, BusErrorCode.None);
    }

    /// <summary>The message is refused: answer its sender with an error frame; it is never delivered.</summary>
    public void Reject(RoutedMessage message, BusErrorCode code)
    {
        if (message.Activity is not null)
        {
            Tracing.BusTracing.Finish(message, BusFrameFlagBits.None, code);
        }

        Metrics.Rejected(message.Ranges.MessageIdLength == 0 ? BusMetrics.UnparsedType : (int)message.MessageType, code);
        Settle(message, deleteStored: code is BusErrorCode.Expired or BusErrorCode.TenantMismatch, ack: false, BusFrameFlagBits.None, code);
    }

    /// <summary>A queued or in-flight message whose connection closed: keep it (store) or fail it.</summary>
    public void Failover(RoutedMessage message, BusEndpoint from)
    {
        if (message.StoreEntryId is not null)
        {
            Release(message);
            return;
        }

        if (from is not BusSession session)
        {
            PeerUnavailable(message);
            return;
        }

        if (Store is { } store)
        {
            store.Save(message, session.AgentId!);
            return;
        }

        Reject(message, BusErrorCode.UnknownAgent);
    }

    /// <summary>
    /// The sidecar hosting the recipient cannot be reached (link refused, broken or draining): the message
    /// goes to the offline store for the agent (delivered in order when it connects, to any sidecar sharing
    /// the store), else its sender gets the retryable <c>unavailable</c>. Not the hot path: this may allocate.
    /// </summary>
    public void PeerUnavailable(RoutedMessage message)
    {
        if (Store is { } store)
        {
            store.Save(message, Encoding.UTF8.GetString(message.ToAgent));
            return;
        }

        Reject(message, BusErrorCode.Unavailable);
    }

    public void Release(RoutedMessage message) => Pool.Return(message);

    /// <summary>
    /// The common end of <see cref="Acknowledge"/> and <see cref="Reject"/>: a stored message is deleted from the offline
    /// store when <paramref name="deleteStored"/>; then its sender gets the ack (<paramref name="flags"/>) or the error
    /// (<paramref name="code"/>), and a message without a sender goes back to the pool. Hot path: no allocation.
    /// </summary>
    private void Settle(RoutedMessage message, bool deleteStored, bool ack, BusFrameFlagBits flags, BusErrorCode code)
    {
        if (deleteStored && message.StoreEntryId is { } entry && Store is { } store)
        {
            store.Delete(message.StoreAgent!, entry);
        }

        if (message.Sender is not { } sender)
        {
            Release(message);
        }
        else if (ack)
        {
            sender.OnAck(message, flags);
        }
        else
        {
            sender.OnError(message, code);
        }
    }
}
