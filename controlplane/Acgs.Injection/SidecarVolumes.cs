// Constitutional Hash: cdd01ef066bc6cf2

using k8s.Models;

namespace Acgs.Injection;

/// <summary>The volumes injected into a pod for the sidecar.</summary>
internal static class SidecarVolumes
{
    /// <summary>The sidecar's writable run directory.</summary>
    public static V1Volume Run() => new()
    {
        Name = InjectionLabels.RunVolumeName,
        EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity("16Mi") },
    };

    /// <summary>
    /// The sidecar's bootstrap credential: a projected ServiceAccount token for the identity audience (1 h, rotated by the
    /// kubelet; the sidecar re-reads it at each certificate request). The control plane checks it with a TokenReview.
    /// </summary>
    public static V1Volume Identity(InjectionOptions options) => new()
    {
        Name = InjectionLabels.IdentityVolumeName,
        Projected = new V1ProjectedVolumeSource
        {
            Sources =
            [
                new V1VolumeProjection
                {
                    ServiceAccountToken = new V1ServiceAccountTokenProjection { Audience = options.IdentityAudience, ExpirationSeconds = 3600, Path = "token" },
                },
            ],
        },
    };
}
