// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Injection;

/// <summary>The label, annotation, container and volume names sidecar injection reads and writes.</summary>
public static class InjectionLabels
{
    /// <summary>Namespace label (value <see cref="NamespaceEnabled"/>) and pod annotation (<c>"true"</c>/<c>"false"</c>) that opt in or out.</summary>
    public const string Inject = "acgs.io/inject";

    /// <summary>The namespace label value that opts every pod of the namespace in.</summary>
    public const string NamespaceEnabled = "enabled";

    /// <summary>Annotation written on an injected pod; its presence means "already injected".</summary>
    public const string Status = "acgs.io/status";

    /// <summary>The init container that installs the iptables redirect.</summary>
    public const string InitContainerName = "acgs-init";

    /// <summary>The sidecar (a native sidecar: an init container with <c>restartPolicy: Always</c>).</summary>
    public const string SidecarContainerName = "acgs-sidecar";

    /// <summary>The emptyDir volume the sidecar writes its last-known-good snapshot to (its root file system is read-only).</summary>
    public const string RunVolumeName = "acgs-run";

    /// <summary>Where <see cref="RunVolumeName"/> is mounted in the sidecar.</summary>
    public const string RunVolumeMountPath = "/var/run/acgs";
}
