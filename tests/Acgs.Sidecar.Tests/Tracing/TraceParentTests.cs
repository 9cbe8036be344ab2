// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Sidecar.Tracing;

namespace Acgs.Sidecar.Tests.Tracing;

public sealed class TraceParentTests
{
    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03", true)]
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-future", true)]
    public void TryRead_ValidValue_ReturnsSampledFlag(string value, bool sampled)
    {
        Assert.True(TraceParent.TryRead(value, out var flag, out var head));
        Assert.Equal(sampled, flag);
        Assert.Equal(0x0af7651916cd43dd, head);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0")] // short
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x")] // version 00 has no more fields
    [InlineData("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")] // forbidden version
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // zero trace id
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01")] // zero parent id
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01")] // upper case
    [InlineData("00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")] // separator
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x")] // a future field without its dash
    [InlineData("00-0af7651916cd43dd8448eb211c8031zz-b7ad6b7169203331-01")] // not hex
    public void TryRead_InvalidValue_ReturnsFalse(string? value)
    {
        Assert.False(TraceParent.TryRead(value, out _, out _));
    }

    [Fact]
    public void NewUnsampled_RandomIds_ValidUnsampledValueOfThoseIds()
    {
        TraceParent.NewIds(out var high, out var low, out var spanId);

        var value = TraceParent.NewUnsampled(high, low, spanId);

        Assert.Equal($"00-{high:x16}{low:x16}-{spanId:x16}-00", value);
        Assert.True(TraceParent.TryRead(value, out var sampled, out var head));
        Assert.False(sampled);
        Assert.Equal(unchecked((long)high), head); // the head the sampler decided on is the one the next hop reads
        Assert.True(ActivityContext.TryParse(value, null, out var parsed));
        Assert.Equal(value[3..35], parsed.TraceId.ToHexString());
        Assert.Equal(value[36..52], parsed.SpanId.ToHexString());
    }

    [Fact]
    public void NewUnsampled_SmallIds_LeadingZeroesKept()
    {
        var value = TraceParent.NewUnsampled(0, 0xab, 1);

        Assert.Equal("00-000000000000000000000000000000ab-0000000000000001-00", value);
        Assert.True(TraceParent.TryRead(value, out _, out var head));
        Assert.Equal(0, head);
    }
}
