// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Api;

/// <summary>Keys of keyed DI services.</summary>
internal static class ServiceKeys
{
    /// <summary>The admin-token verifier.</summary>
    public const string Admin = "admin";

    /// <summary>The read-token verifier.</summary>
    public const string Read = "read";

    /// <summary>The sidecar-token verifier.</summary>
    public const string Sidecar = "sidecar";
}
