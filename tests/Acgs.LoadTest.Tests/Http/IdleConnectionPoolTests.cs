// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Http;
using Xunit;

namespace Acgs.LoadTest.Tests.Http;

public sealed class IdleConnectionPoolTests
{
    [Fact]
    public void TryTake_MostRecent_ReturnsTheLastReturnedFirst()
    {
        var pool = new IdleConnectionPool<string>(ConnectionReuse.MostRecent);
        pool.Return("a");
        pool.Return("b");
        pool.Return("c");

        Assert.True(pool.TryTake(out var first));
        Assert.True(pool.TryTake(out var second));

        Assert.Equal("c", first);
        Assert.Equal("b", second);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void TryTake_Oldest_ReturnsTheFirstReturnedFirst()
    {
        var pool = new IdleConnectionPool<string>(ConnectionReuse.Oldest);
        pool.Return("a");
        pool.Return("b");
        pool.Return("c");

        Assert.True(pool.TryTake(out var first));
        Assert.True(pool.TryTake(out var second));

        Assert.Equal("a", first);
        Assert.Equal("b", second);
        Assert.Equal(1, pool.Count);
    }

    [Theory]
    [InlineData(ConnectionReuse.MostRecent)]
    [InlineData(ConnectionReuse.Oldest)]
    public void TryTake_Empty_ReturnsFalse(ConnectionReuse reuse)
    {
        var pool = new IdleConnectionPool<string>(reuse);

        Assert.False(pool.TryTake(out _));
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Return_ConcurrentCallers_LosesNothing()
    {
        var pool = new IdleConnectionPool<object>(ConnectionReuse.MostRecent);
        var items = new object[4_000];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new object();
        }

        Parallel.For(0, items.Length, i => pool.Return(items[i]));
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        while (pool.TryTake(out var item))
        {
            seen.Add(item);
        }

        Assert.Equal(items.Length, seen.Count);
    }
}
