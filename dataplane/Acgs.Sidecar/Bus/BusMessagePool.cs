// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Microsoft.Extensions.ObjectPool;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Pools <see cref="RoutedMessage"/> objects and their frame buffers. Small buffers (the common
/// case) stay attached to the pooled message; larger ones go back to a dedicated, bounded
/// <see cref="ArrayPool{T}"/>: buffers up to <see cref="MaxPooledBufferBytes"/>, at most
/// <see cref="BuffersPerSize"/> of each size (at most about 32 MiB retained), so steady state allocates
/// nothing for ordinary messages while a backlog of large ones is given back to the GC once it drains.
/// </summary>
internal sealed class BusMessagePool
{
    /// <summary>Buffers up to this size stay with their pooled message.</summary>
    public const int KeepBufferBytes = 1024;

    /// <summary>Largest pooled frame buffer; a larger frame gets a fresh buffer that the GC reclaims after use.</summary>
    public const int MaxPooledBufferBytes = 128 * 1024;

    /// <summary>Pooled buffers kept per size class.</summary>
    public const int BuffersPerSize = 128;

    private readonly ObjectPool<RoutedMessage> _messages;

    public BusMessagePool(int retained = 65_536)
    {
        Buffers = ArrayPool<byte>.Create(MaxPooledBufferBytes, BuffersPerSize);
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
