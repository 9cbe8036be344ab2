// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Pipelines;
using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// One bus connection's sending side, shared by agent sessions and sidecar-to-sidecar links: the
/// priority outbox, the in-flight table (written, not yet acknowledged) and the writer loop that
/// drains the outbox into a <see cref="PipeWriter"/> in batches with one flush per batch.
/// </summary>
internal abstract class BusEndpoint : IBusReplyTarget
{
    private const int BatchSize = 256;
    private long _heldBytes;
    private volatile bool _acceptsTraceContext;

    protected BusEndpoint(BusRouter router)
    {
        Router = router;
        Outbox = new PriorityOutbox(router.Options.LaneCapacity, router.Options.ControlCapacity);
    }

    /// <summary>Frames waiting to be written.</summary>
    public PriorityOutbox Outbox { get; }

    /// <summary>Messages written and awaiting their ack.</summary>
    public InflightTable Inflight { get; } = new();

    protected BusRouter Router { get; }

    /// <summary>How messages are written: deliver (to an agent) or send (to a peer sidecar).</summary>
    protected abstract BusFrameType DataFrameType { get; }

    /// <summary>
    /// Whether the other end takes messages with trace context (it asked for it in its register, or, on a link, the
    /// remote sidecar's register_ack accepted it); otherwise the trace fields are stripped from what is written.
    /// </summary>
    public bool AcceptsTraceContext
    {
        get => _acceptsTraceContext;
        protected set => _acceptsTraceContext = value;
    }

    /// <summary>Bytes of the messages this connection holds (queued, or written and not yet acknowledged).</summary>
    public long HeldBytes => Interlocked.Read(ref _heldBytes);

    /// <summary>
    /// Queues a message for this connection: <see cref="EnqueueResult.Full"/> (<c>busy</c>) when its lane is full or
    /// its bytes would pass the connection's or the sidecar's byte budget.
    /// </summary>
    public EnqueueResult Enqueue(RoutedMessage message)
    {
        var bytes = message.Length;
        if (Interlocked.Add(ref _heldBytes, bytes) > Router.Options.ConnectionQueueBytes)
        {
            Interlocked.Add(ref _heldBytes, -bytes);
            return EnqueueResult.Full;
        }

        if (!Router.TryHoldBytes(bytes))
        {
            Interlocked.Add(ref _heldBytes, -bytes);
            return EnqueueResult.Full;
        }

        var result = Outbox.TryEnqueue(message);
        if (result == EnqueueResult.Enqueued)
        {
            Router.Metrics.Queued(message.Priority);
        }
        else
        {
            ReleaseBytes(message);
        }

        return result;
    }

    /// <inheritdoc />
    public void OnAck(RoutedMessage message, BusFrameFlagBits flags) =>
        SendControl(new OutboxItem(BusFrameType.Ack, flags, BusErrorCode.None, message, null, 0));

    /// <inheritdoc />
    public void OnError(RoutedMessage message, BusErrorCode code) =>
        SendControl(new OutboxItem(BusFrameType.Error, BusFrameFlagBits.None, code, message, null, 0));

    /// <summary>
    /// Queues a control frame; a message it carries is released when the connection is gone. A full control
    /// queue means the peer does not read its replies: <see cref="OnControlOverflow"/> closes the connection.
    /// </summary>
    public void SendControl(in OutboxItem item)
    {
        var result = Outbox.TryEnqueueControl(item);
        if (result == ControlEnqueueResult.Enqueued)
        {
            return;
        }

        if (item.Message is { } message)
        {
            Router.Release(message);
        }

        if (result == ControlEnqueueResult.Full)
        {
            OnControlOverflow();
        }
    }

    /// <summary>The peer acknowledged <paramref name="messageId"/>.</summary>
    public void HandleAck(ReadOnlySpan<byte> messageId, BusFrameFlagBits flags)
    {
        var before = Inflight.Count;
        var message = Inflight.Remove(messageId);
        if (message is null)
        {
            return;
        }

        ReleaseBytes(message);
        if (before >= Router.Options.MaxInflight)
        {
            Outbox.Wake();
        }

        Router.Acknowledge(message, flags);
    }

    /// <summary>The peer rejected <paramref name="messageId"/>.</summary>
    public void HandleNack(ReadOnlySpan<byte> messageId, BusErrorCode code)
    {
        var before = Inflight.Count;
        var message = Inflight.Remove(messageId);
        if (message is null)
        {
            return;
        }

        ReleaseBytes(message);
        if (before >= Router.Options.MaxInflight)
        {
            Outbox.Wake();
        }

        Router.Reject(message, code);
    }

    /// <summary>The control queue is full (the peer does not read): close the connection.</summary>
    protected abstract void OnControlOverflow();

    /// <summary>
    /// Closes the outbox with a final connection-level error frame (<c>slow_reader</c>, <c>timeout</c>, ...), written
    /// after the queued control frames, and counts it; false when the outbox was closed already.
    /// </summary>
    protected bool CloseWithError(BusErrorCode code)
    {
        if (!Outbox.CloseWith(new OutboxItem(BusFrameType.Error, BusFrameFlagBits.None, code, null, null, 0), out var evicted))
        {
            return false;
        }

        if (evicted.Message is { } message)
        {
            Router.Release(message);
        }

        Router.Metrics.Rejected(BusMetrics.UnparsedType, code);
        return true;
    }

    /// <summary>Drains the outbox into <paramref name="output"/> until the outbox closes or the connection fails.</summary>
    protected async Task WriteLoopAsync(PipeWriter output)
    {
        var batch = new OutboxItem[BatchSize];
        var stamps = new long[BatchSize];
        var maxInflight = Router.Options.MaxInflight;
        try
        {
            while (true)
            {
                var budget = Outbox.IsClosed ? 0 : maxInflight - Inflight.Count;
                await Outbox.WaitAsync(budget).ConfigureAwait(false);
                budget = Outbox.IsClosed ? 0 : maxInflight - Inflight.Count;
                var n = Outbox.TakeBatch(batch, Math.Max(0, budget), out _);
                if (n == 0)
                {
                    if (Outbox.IsClosed)
                    {
                        break;
                    }

                    continue;
                }

                var written = WriteBatch(output, batch.AsSpan(0, n), stamps);
                var result = await output.FlushAsync().ConfigureAwait(false);
                var now = Stopwatch.GetTimestamp();
                for (var i = 0; i < written; i++)
                {
                    var ticks = now - stamps[i];
                    Router.Stats.RecordTicks(ticks);
                    Router.Metrics.ObserveLatencyTicks(ticks);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is gone; pending messages are failed over by the owner.
        }
        finally
        {
            // Nothing more can be written: refuse new frames and release a reader paused for backpressure.
            Outbox.Close();
        }
    }

    /// <summary>Gives every queued and in-flight message to the router (store, or error to its sender).</summary>
    protected void FailPending()
    {
        var messages = new List<RoutedMessage>();
        Outbox.DrainMessages(messages);
        foreach (var message in messages)
        {
            Router.Metrics.Dequeued(message.Priority);
        }

        Inflight.Drain(messages);
        foreach (var message in messages)
        {
            ReleaseBytes(message);
            Router.Failover(message, this);
        }

        var control = new List<OutboxItem>();
        Outbox.DrainControl(control);
        foreach (var item in control)
        {
            if (item.Message is { } message)
            {
                Router.Release(message);
            }
        }
    }

    private void ReleaseBytes(RoutedMessage message)
    {
        Interlocked.Add(ref _heldBytes, -message.Length);
        Router.ReleaseBytes(message.Length);
    }

    private int WriteBatch(PipeWriter output, Span<OutboxItem> items, long[] stamps)
    {
        var written = 0;
        var nowMs = Router.NowUnixMs();
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            items[i] = default;
            if (item.Type != BusFrameType.None)
            {
                WriteControl(output, item);
                continue;
            }

            var message = item.Message!;
            Router.Metrics.Dequeued(message.Priority);
            if (message.ExpiresAtUnixMs != 0 && nowMs >= message.ExpiresAtUnixMs)
            {
                ReleaseBytes(message);
                Router.Reject(message, BusErrorCode.Expired);
                continue;
            }

            var frame = message.Frame;
            var flags = message.DeliverFlags;
            if (message.Ranges.HasTraceContext)
            {
                if (AcceptsTraceContext)
                {
                    flags |= BusFrameFlagBits.TraceContext;
                }
                else
                {
                    // An older peer never sees the trailing trace fields: the body ends with the payload, as it always did.
                    frame = frame[..(BusWireConstants.HeaderSize + message.Ranges.TraceContextOffset)];
                }
            }

            var span = output.GetSpan(frame.Length);
            frame.CopyTo(span);
            span[BusWireConstants.TypeOffset] = (byte)DataFrameType;
            span[BusWireConstants.FlagsOffset] = (byte)flags;
            if (frame.Length != message.Length)
            {
                BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)(frame.Length - BusWireConstants.HeaderSize));
            }

            output.Advance(frame.Length);
            stamps[written++] = message.ReceivedTimestamp;

            // Added after the copy: nothing is visible to the peer before the flush, so no ack can race it.
            Inflight.Add(message);
        }

        return written;
    }

    private void WriteControl(PipeWriter output, in OutboxItem item)
    {
        var message = item.Message;
        switch (item.Type)
        {
            case BusFrameType.Ack:
                BusFrameWriter.WriteIdFrame(output, BusFrameType.Ack, message is null ? item.Bytes : message.MessageId, item.Flags);
                break;
            case BusFrameType.Error:
                BusFrameWriter.WriteError(output, item.Code, message is null ? item.Bytes : message.MessageId, BusErrorDetails.For(item.Code));
                break;
            case BusFrameType.RegisterAck:
                BusFrameWriter.WriteIdFrame(output, BusFrameType.RegisterAck, item.Bytes, item.Flags);
                break;
            case BusFrameType.Register:
                output.Write(item.Bytes.AsSpan());
                break;
            case BusFrameType.Ping:
            case BusFrameType.Pong:
                BusFrameWriter.WritePing(output, item.Type, item.Ping);
                break;
            default:
                break;
        }

        if (message is not null)
        {
            Router.Release(message);
        }
    }
}
