// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using Microsoft.Extensions.ObjectPool;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Pools <see cref="RoutedMessage"/> objects and their frame buffers. Small buffers (the common
/// case) stay attached to the pooled message; large ones go back to a dedicated
/// <see cref="ArrayPool{T}"/> sized for a deep backlog, so steady state allocates nothing.
/// </summary>
internal sealed class BusMessagePool
{
    /// <summary>Buffers up to this size stay with their pooled message.</summary>
    public const int KeepBufferBytes = 1024;

    private readonly ObjectPool<RoutedMessage> _messages;

    public BusMessagePool(int retained = 65_536)
    {
        Buffers = ArrayPool<byte>.Create(BusWireConstants.HeaderSize + BusWireConstants.MaxBodyBytes, 1024);
        _messages = new DefaultObjectPool<RoutedMessage>(new DefaultPooledObjectPolicy<RoutedMessage>(), retained);
    }

    /// <summary>The frame-buffer pool.</summary>
    public ArrayPool<byte> Buffers { get; }

    /// <summary>A clean message.</summary>
    public RoutedMessage Rent() => _messages.Get();

    /// <summary>Returns a message (and, when large, its buffer).</summary>
    public void Return(RoutedMessage message)
    {
        if (message.Buffer.Length > KeepBufferBytes)
        {
            message.ReleaseBuffer(Buffers);
        }

        _messages.Return(message);
    }
}
