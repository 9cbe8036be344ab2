// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Identity;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// Who made a sidecar call: a workload (<paramref name="Workload"/>, limited to its service and node), the holder of the shared
/// sidecar token, or an anonymous caller (open mode only). <paramref name="Kind"/> is the metric's result label.
/// </summary>
internal sealed record SidecarCaller(string Kind, WorkloadToken? Workload)
{
    /// <summary>The shared-token caller.</summary>
    public static SidecarCaller SharedToken { get; } = new("token", null);

    /// <summary>The anonymous caller.</summary>
    public static SidecarCaller Anonymous { get; } = new("anonymous", null);
}
