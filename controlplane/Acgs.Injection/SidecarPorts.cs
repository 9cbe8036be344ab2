// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Injection;

/// <summary>The sidecar's fixed ports and identity in an injected pod (docs/kubernetes.md).</summary>
public static class SidecarPorts
{
    /// <summary>Inbound listener: traffic to the pod is redirected here.</summary>
    public const int Inbound = 15006;

    /// <summary>Outbound listener: the app's outbound traffic is redirected here.</summary>
    public const int Outbound = 15001;

    /// <summary>Admin listener: probes, metrics, <c>POST /drain</c>. Excluded from the inbound redirect.</summary>
    public const int Admin = 15020;

    /// <summary>
    /// The message bus's framed TCP port in an injected pod (<c>ACGS_BUS_PORT</c>; the sidecar's own default, 8080,
    /// is the port apps most often use, and both share the pod's network namespace). Excluded from the inbound redirect
    /// so other sidecars' bus peer links reach it.
    /// </summary>
    public const int Bus = 15008;

    /// <summary>The bus's small HTTP API port in an injected pod (<c>ACGS_BUS_HTTP_PORT</c>; sidecar default 8082). Excluded from the inbound redirect.</summary>
    public const int BusHttp = 15009;

    /// <summary>The sidecar's uid (and gid); its own traffic is excluded from the outbound redirect.</summary>
    public const long ProxyUid = 1337;
}
