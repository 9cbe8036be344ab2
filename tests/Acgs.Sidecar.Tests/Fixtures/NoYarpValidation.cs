// Constitutional Hash: cdd01ef066bc6cf2

using Yarp.ReverseProxy.Configuration;

namespace Acgs.Sidecar.Tests.Fixtures;

/// <summary>A YARP config validator that accepts every route and cluster, for tests that build a <c>ConfigApplier</c> without a host.</summary>
internal sealed class NoYarpValidation : IConfigValidator
{
    public ValueTask<IList<Exception>> ValidateRouteAsync(RouteConfig route) => ValueTask.FromResult<IList<Exception>>([]);

    public ValueTask<IList<Exception>> ValidateClusterAsync(ClusterConfig cluster) => ValueTask.FromResult<IList<Exception>>([]);
}
