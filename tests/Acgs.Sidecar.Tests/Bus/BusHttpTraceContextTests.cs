// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Bus;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>Which <c>traceparent</c>/<c>tracestate</c> headers of a <c>POST /v1/messages</c> a message carries.</summary>
public sealed class BusHttpTraceContextTests
{
    private const string Valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static IHeaderDictionary Headers(string? traceParent, string? traceState = null)
    {
        IHeaderDictionary headers = new HeaderDictionary();
        if (traceParent is not null)
        {
            headers.TraceParent = traceParent;
        }

        if (traceState is not null)
        {
            headers.TraceState = traceState;
        }

        return headers;
    }

    [Fact]
    public void Read_ValidHeaders_Carried()
    {
        var trace = BusHttpTraceContext.Read(Headers(Valid, "vendor=a,other=b"));

        Assert.Equal(Valid, trace.TraceParent);
        Assert.Equal("vendor=a,other=b", trace.TraceState);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01")] // uppercase
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // zero trace id
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra")] // a later version: not carriable in a frame
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x")]
    public void Read_MissingOrMalformedTraceparent_Empty(string? traceParent)
    {
        Assert.True(BusHttpTraceContext.Read(Headers(traceParent, "vendor=a")).IsEmpty);
    }

    [Fact]
    public void Read_TwoTraceparentHeaders_Empty()
    {
        var headers = new HeaderDictionary { ["traceparent"] = new(["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", Valid]) };

        Assert.True(BusHttpTraceContext.Read(headers).IsEmpty);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(-1)]
    public void Read_TracestateTheFrameCannotCarry_LeftOut(int length)
    {
        var state = length < 0 ? "vendor=\u00e9" : new string('a', length);

        var trace = BusHttpTraceContext.Read(Headers(Valid, state));

        Assert.Equal(Valid, trace.TraceParent);
        Assert.Equal(string.Empty, trace.TraceState);
    }
}
