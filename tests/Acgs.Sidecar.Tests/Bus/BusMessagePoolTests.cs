// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.CompilerServices;
using Acgs.Sidecar.Bus;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>The frame-buffer pool keeps ordinary buffers and gives large ones back to the GC.</summary>
public class BusMessagePoolTests
{
    [Fact]
    public void Return_LargeFrame_BufferIsNotRetainedAndIsCollected()
    {
        var pool = new BusMessagePool();
        var weak = RentAndReturn(pool, BusMessagePool.MaxPooledBufferBytes + 1);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(weak.IsAlive);
    }

    [Fact]
    public void Return_MidSizeFrame_BufferIsReused()
    {
        var pool = new BusMessagePool();
        var first = RentAndReturn(pool, 16 * 1024);

        var message = pool.Rent();
        message.Load(new byte[16 * 1024], pool.Buffers);

        Assert.Same(first.Target, message.Buffer);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference RentAndReturn(BusMessagePool pool, int length)
    {
        var message = pool.Rent();
        message.Load(new byte[length], pool.Buffers);
        var weak = new WeakReference(message.Buffer);
        pool.Return(message);
        return weak;
    }
}
