// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Api;

/// <summary>Endpoint metadata: the endpoint is a write and needs the admin token.</summary>
internal sealed class RequiresAdminToken
{
    /// <summary>The shared instance.</summary>
    public static RequiresAdminToken Instance { get; } = new();
}
