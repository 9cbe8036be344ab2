// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Api;

/// <summary>
/// What the sidecar routes (watch, ACK/NACK, health and agent reports, deregistration) accept (<c>ACGS_SIDECAR_AUTH</c>).
/// A valid workload token is accepted in every mode, for its own service and node only.
/// </summary>
internal enum SidecarAuthMode
{
    /// <summary>The default: <see cref="Token"/> when <c>ACGS_SIDECAR_TOKEN</c> is set, else <see cref="Open"/>.</summary>
    Auto,

    /// <summary>Workload tokens only: anonymous calls and the shared sidecar token are refused (401).</summary>
    Identity,

    /// <summary>Workload tokens, or the shared sidecar token (which may act as any sidecar); anonymous calls refused.</summary>
    Token,

    /// <summary>Also anonymous calls, as any sidecar (nothing protects the routes; a warning at start).</summary>
    Open,
}
