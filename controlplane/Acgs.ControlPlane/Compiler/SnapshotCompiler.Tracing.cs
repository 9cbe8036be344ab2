// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;

namespace Acgs.ControlPlane.Compiler;

internal static partial class SnapshotCompiler
{
    /// <summary>
    /// <c>tracing</c>: the sampling ratio of the Tracing policy for the service, else the mesh-wide one. Left out (null)
    /// when there is none: the sidecars then keep their <c>OTEL_TRACES_SAMPLER_ARG</c>.
    /// </summary>
    private static ConfigSnapshot WithTracing(ConfigSnapshot snapshot, string service, List<ActivePolicy> policies)
    {
        if (PickPolicy<TracingSpec>(service, policies) is not { Document: { Spec: TracingSpec { SamplingRatio: { } ratio } } document })
        {
            return snapshot;
        }

        return snapshot with { Tracing = new TracingConfig { Name = document.Name, SamplingRatio = ratio } };
    }
}
