// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Hosting;

/// <summary>Which of the sidecar's listeners a connection arrived on.</summary>
internal enum ListenerKind
{
    /// <summary>Not one of the sidecar's listeners (never expected).</summary>
    Unknown = 0,

    /// <summary>Traffic to this pod, proxied to the local app.</summary>
    Inbound = 1,

    /// <summary>The app's calls to other services, routed by Host/authority.</summary>
    Outbound = 2,

    /// <summary>Health, metrics and operations.</summary>
    Admin = 3,
}
