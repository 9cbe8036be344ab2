// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.RateLimiting;

namespace Acgs.ControlPlane.Compiler;

internal static partial class SnapshotCompiler
{
    /// <summary>
    /// <c>rate_limit</c>: the RateLimit policy for the service, else the mesh-wide one (each service's sidecars then keep
    /// their own buckets), with the default burst filled in. Left out (null) when there is none.
    /// </summary>
    private static ConfigSnapshot WithRateLimit(ConfigSnapshot snapshot, string service, List<ActivePolicy> policies)
    {
        if (PickPolicy<RateLimitSpec>(service, policies) is not { Document: { Spec: RateLimitSpec spec } document })
        {
            return snapshot;
        }

        return snapshot with
        {
            RateLimit = new RateLimitConfig
            {
                Name = document.Name,
                RequestsPerSecond = spec.RequestsPerSecond,
                Burst = spec.Burst > 0 ? spec.Burst : RateLimits.DefaultBurst(spec.RequestsPerSecond),
                Per = spec.Per,
            },
        };
    }
}
