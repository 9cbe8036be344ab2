// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Authorization;
using Acgs.Sidecar.Telemetry;

namespace Acgs.Sidecar.Tests.Authorization;

/// <summary><c>acgs_authz_decisions_total</c>: bounded rule labels.</summary>
public sealed class AuthorizationMetricsTests
{
    [Fact]
    public void For_MoreRuleIdsThanTheCap_LaterOnesShareOther()
    {
        var metrics = new AuthorizationMetrics(new SidecarMetrics());
        for (var i = 0; i < AuthorizationMetrics.MaxRuleLabels; i++)
        {
            metrics.For("p#" + i);
        }

        Assert.Same(metrics.For("p#0"), metrics.For("p#0"));
        Assert.Same(metrics.For("beyond#0"), metrics.For("beyond#1"));
        Assert.NotSame(metrics.For("p#1"), metrics.For("beyond#0"));
    }
}
