// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Resilience;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>The overflow pool's open-rate bucket on <see cref="FakeTimeProvider"/>.</summary>
public sealed class OpenRateBucketTests
{
    [Fact]
    public void TryTake_FullBucket_TakesBurstThenRefusesUntilRefilled()
    {
        var time = new FakeTimeProvider();
        var bucket = new OpenRateBucket(2, 3, time);

        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void TryTake_LongIdle_RefillsToBurstOnly()
    {
        var time = new FakeTimeProvider();
        var bucket = new OpenRateBucket(10, 2, time);
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());

        time.Advance(TimeSpan.FromHours(1));

        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void UntilNext_EmptyBucket_TimeToNextWholeToken()
    {
        var time = new FakeTimeProvider();
        var bucket = new OpenRateBucket(4, 1, time);
        Assert.Equal(TimeSpan.Zero, bucket.UntilNext());
        Assert.True(bucket.TryTake());

        Assert.Equal(250, bucket.UntilNext().TotalMilliseconds, precision: 6);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(150, bucket.UntilNext().TotalMilliseconds, precision: 6);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(double.PositiveInfinity, 1)]
    [InlineData(1, 0)]
    public void Constructor_BadRateOrBurst_Throws(double rate, int burst) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenRateBucket(rate, burst, new FakeTimeProvider()));
}
