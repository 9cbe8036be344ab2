// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Injection;

/// <summary>
/// Resource requests and limits of the injected sidecar, as Kubernetes quantities (<c>100m</c>, <c>128Mi</c>).
/// A null value is left out of the container spec.
/// </summary>
public sealed record SidecarResources
{
    /// <summary>CPU request. Default <c>100m</c>.</summary>
    public string? CpuRequest { get; init; } = "100m";

    /// <summary>Memory request. Default <c>64Mi</c>.</summary>
    public string? MemoryRequest { get; init; } = "64Mi";

    /// <summary>CPU limit. Default <c>2</c>.</summary>
    public string? CpuLimit { get; init; } = "2";

    /// <summary>Memory limit. Default <c>256Mi</c>.</summary>
    public string? MemoryLimit { get; init; } = "256Mi";
}
