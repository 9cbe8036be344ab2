// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using Microsoft.Extensions.ObjectPool;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Per-message state on the hot path: the whole frame in a pooled buffer plus routing facts.
/// Pooled (<see cref="BusMessagePool"/>); exactly one owner at a time: the reader that parsed it,
/// then an outbox, then an in-flight table, then the reply target that answers its sender.
/// </summary>
internal sealed class RoutedMessage : IResettable
{
    private byte[] _buffer = [];

    /// <summary>The frame (header and body); the buffer may be longer than <see cref="Length"/>.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>Frame length in bytes.</summary>
    public int Length { get; private set; }

    /// <summary>Field offsets relative to the body (which starts at <see cref="BusWireConstants.HeaderSize"/>).</summary>
    public BusFieldRanges Ranges { get; set; }

    /// <summary>Delivery priority.</summary>
    public WirePriority Priority { get; set; }

    /// <summary>Message type (metric label).</summary>
    public WireMessageType MessageType { get; set; }

    /// <summary>Expiry, Unix ms, 0 = never.</summary>
    public long ExpiresAtUnixMs { get; set; }

    /// <summary>Who gets the ack or error for this message (null for messages replayed from the store).</summary>
    public IBusReplyTarget? Sender { get; set; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp when the frame was read.</summary>
    public long ReceivedTimestamp { get; set; }

    /// <summary>Hash of the message id (in-flight lookup).</summary>
    public int IdHash { get; set; }

    /// <summary>Next message with the same <see cref="IdHash"/> in an in-flight table.</summary>
    public RoutedMessage? ChainNext { get; set; }

    /// <summary>Redis stream entry id when the message was replayed from the offline store.</summary>
    public string? StoreEntryId { get; set; }

    /// <summary>The agent whose stream holds <see cref="StoreEntryId"/>.</summary>
    public string? StoreAgent { get; set; }

    /// <summary>
    /// The SPIFFE ID of the sidecar that forwarded this message over an mTLS peer link, verified by its certificate;
    /// null for a message from a local agent, the HTTP API, the offline store or a plaintext link (identity off).
    /// </summary>
    public string? PeerIdentity { get; set; }

    /// <summary>The sidecar's span of this message (tracing on, trace context carried and sampled); ended with its fate.</summary>
    public System.Diagnostics.Activity? Activity { get; set; }

    /// <summary>Flags to stamp on the delivered frame.</summary>
    public BusFrameFlagBits DeliverFlags { get; set; }

    /// <summary>The frame bytes.</summary>
    public ReadOnlySpan<byte> Frame => _buffer.AsSpan(0, Length);

    /// <summary>The body bytes.</summary>
    public ReadOnlySpan<byte> Body => _buffer.AsSpan(BusWireConstants.HeaderSize, Length - BusWireConstants.HeaderSize);

    /// <summary>message_id (empty until parsed).</summary>
    public ReadOnlySpan<byte> MessageId => Ranges.MessageIdLength == 0
        ? default
        : _buffer.AsSpan(BusWireConstants.HeaderSize + Ranges.MessageIdOffset, Ranges.MessageIdLength);

    /// <summary>to_agent.</summary>
    public ReadOnlySpan<byte> ToAgent => _buffer.AsSpan(BusWireConstants.HeaderSize + Ranges.ToAgentOffset, Ranges.ToAgentLength);

    /// <summary>tenant_id.</summary>
    public ReadOnlySpan<byte> TenantId => _buffer.AsSpan(BusWireConstants.HeaderSize + Ranges.TenantIdOffset, Ranges.TenantIdLength);

    /// <summary>Copies <paramref name="frame"/> into a pooled buffer.</summary>
    public void Load(in ReadOnlySequence<byte> frame, ArrayPool<byte> pool)
    {
        var length = (int)frame.Length;
        if (_buffer.Length < length)
        {
            if (_buffer.Length > 0)
            {
                pool.Return(_buffer);
            }

            _buffer = pool.Rent(length);
        }

        frame.CopyTo(_buffer);
        Length = length;
    }

    /// <summary>Copies <paramref name="frame"/> into a pooled buffer.</summary>
    public void Load(ReadOnlySpan<byte> frame, ArrayPool<byte> pool)
    {
        if (_buffer.Length < frame.Length)
        {
            if (_buffer.Length > 0)
            {
                pool.Return(_buffer);
            }

            _buffer = pool.Rent(frame.Length);
        }

        frame.CopyTo(_buffer);
        Length = frame.Length;
    }

    /// <summary>Gives the buffer back (called by the pool when the message returns).</summary>
    public void ReleaseBuffer(ArrayPool<byte> pool)
    {
        if (_buffer.Length > 0)
        {
            pool.Return(_buffer);
            _buffer = [];
        }
    }

    /// <inheritdoc />
    public bool TryReset()
    {
        if (Activity is not null)
        {
            Tracing.BusTracing.End(this);
        }

        Length = 0;
        Ranges = default;
        Sender = null;
        ChainNext = null;
        StoreEntryId = null;
        StoreAgent = null;
        PeerIdentity = null;
        ExpiresAtUnixMs = 0;
        DeliverFlags = BusFrameFlagBits.None;
        IdHash = 0;
        return true;
    }
}
