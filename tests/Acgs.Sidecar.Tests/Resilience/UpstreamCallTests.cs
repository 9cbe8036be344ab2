// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Resilience;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>The thread-static hand-off between the request transform and the cluster handler.</summary>
public sealed class UpstreamCallTests
{
    [Fact]
    public void Take_SameRequest_ReturnsOfferedCallOnce()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
        var call = new UpstreamCall();
        UpstreamCall.Offer(request, call);

        Assert.Same(call, UpstreamCall.Take(request));
        Assert.Null(UpstreamCall.Take(request));
    }

    [Fact]
    public void Take_OtherRequest_ReturnsNullAndClearsTheOffer()
    {
        using var offered = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/a");
        using var other = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/b");
        UpstreamCall.Offer(offered, new UpstreamCall());

        Assert.Null(UpstreamCall.Take(other));
        Assert.Null(UpstreamCall.Take(offered));
    }

    [Fact]
    public void Take_OfferOnAnotherThread_ReturnsNull()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
        var thread = new Thread(() => UpstreamCall.Offer(request, new UpstreamCall()));
        thread.Start();
        thread.Join();

        Assert.Null(UpstreamCall.Take(request));
    }

    [Fact]
    public void Abandon_NothingPending_DoesNothing()
    {
        var call = new UpstreamCall();
        call.Abandon();
        Assert.False(call.IsPending);
        Assert.Equal(0, call.TrackedCount);
    }
}
