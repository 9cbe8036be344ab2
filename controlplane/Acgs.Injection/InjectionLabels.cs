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

    /// <summary>
    /// Pod annotation choosing how the app's traffic reaches the sidecar: absent (or any other value) = the iptables init
    /// container redirects it; <see cref="RedirectNone"/> = no init container, no NET_ADMIN/NET_RAW, the app calls the mesh
    /// through the outbound listener as its HTTP proxy (<c>HTTP_PROXY</c>), so the pod can meet the restricted Pod Security Standard.
    /// </summary>
    public const string Redirect = "acgs.io/redirect";

    /// <summary>The value of <see cref="Redirect"/> that turns the iptables redirect off.</summary>
    public const string RedirectNone = "none";

    /// <summary>The projected ServiceAccount token volume (audience of the identity CSR) the sidecar bootstraps its certificate with.</summary>
    public const string IdentityVolumeName = "acgs-identity";

    /// <summary>Where <see cref="IdentityVolumeName"/> is mounted in the sidecar (file <c>token</c>).</summary>
    public const string IdentityMountPath = "/var/run/secrets/acgs/identity";

    /// <summary>The Prometheus scrape annotations written on injected pods (unless the pod sets <c>prometheus.io/scrape</c> itself).</summary>
    public const string PrometheusScrape = "prometheus.io/scrape";

    /// <summary>The init container that installs the iptables redirect.</summary>
    public const string InitContainerName = "acgs-init";

    /// <summary>The sidecar (a native sidecar: an init container with <c>restartPolicy: Always</c>).</summary>
    public const string SidecarContainerName = "acgs-sidecar";

    /// <summary>The emptyDir volume the sidecar writes its last-known-good snapshot to (its root file system is read-only).</summary>
    public const string RunVolumeName = "acgs-run";

    /// <summary>Where <see cref="RunVolumeName"/> is mounted in the sidecar.</summary>
    public const string RunVolumeMountPath = "/var/run/acgs";
}
