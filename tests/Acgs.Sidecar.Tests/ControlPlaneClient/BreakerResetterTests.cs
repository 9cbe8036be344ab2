// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.ControlPlaneClient;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

public sealed class BreakerResetterTests
{
    private readonly CircuitBreakerRegistry _registry = new();

    private BreakerResetter Resetter() => new(_registry, NullLogger<BreakerResetter>.Instance);

    private static BreakerReset Reset(string id, params string[] clusters) => new() { Id = id, Clusters = [.. clusters], Reason = "recovery of orders" };

    [Fact]
    public void Apply_OpenBreakers_ClosedAndCounted()
    {
        _registry.Get("orders").Isolate();
        _registry.Get("inbound|orders").Isolate();
        _registry.Get("billing").Isolate();
        var resetter = Resetter();

        var closed = resetter.Apply([Reset("1.1", "orders", "inbound|orders")]);

        Assert.Equal(2, closed);
        Assert.Equal(CircuitState.Closed, _registry.Get("orders").State);
        Assert.Equal(CircuitState.Closed, _registry.Get("inbound|orders").State);
        Assert.Equal(CircuitState.Open, _registry.Get("billing").State);
        Assert.Equal(2, resetter.Closed);
    }

    [Fact]
    public void Apply_SameIdTwice_ResetsOnce()
    {
        var resetter = Resetter();
        _registry.Get("orders").Isolate();
        Assert.Equal(1, resetter.Apply([Reset("1.1", "orders")]));

        _registry.Get("orders").Isolate();

        Assert.Equal(0, resetter.Apply([Reset("1.1", "orders")]));
        Assert.Equal(CircuitState.Open, _registry.Get("orders").State);
        Assert.Equal(1, resetter.Apply([Reset("1.2", "orders")]));
    }

    [Fact]
    public void Apply_BreakerHeldOpenByChaos_LeftOpen()
    {
        var held = _registry.Get("orders");
        held.HoldOpen();

        var closed = Resetter().Apply([Reset("1.1", "orders")]);

        Assert.Equal(0, closed);
        Assert.Equal(CircuitState.Open, held.State);
    }

    [Fact]
    public void Apply_UnknownCluster_NotCreated()
    {
        Resetter().Apply([Reset("1.1", "never-called")]);

        Assert.False(_registry.TryGet("never-called", out _));
    }

    [Fact]
    public void Apply_ManyIds_ForgetsOldestBeyondMemory()
    {
        var resetter = Resetter();
        for (var i = 0; i <= BreakerResetter.RememberedIds; i++)
        {
            resetter.Apply([Reset("id-" + i, "orders")]);
        }

        _registry.Get("orders").Isolate();

        Assert.Equal(1, resetter.Apply([Reset("id-0", "orders")]));
        _registry.Get("orders").Isolate();
        Assert.Equal(0, resetter.Apply([Reset("id-" + BreakerResetter.RememberedIds, "orders")]));
    }

    [Fact]
    public void Apply_NoRegistry_ClosesNothing() =>
        Assert.Equal(0, new BreakerResetter(null, NullLogger<BreakerResetter>.Instance).Apply([Reset("1.1", "orders")]));
}
