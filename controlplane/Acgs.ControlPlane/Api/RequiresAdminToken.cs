// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Api;

/// <summary>Endpoint metadata: the endpoint is a write (or an admin-only read) and needs the admin token; the read token gets 403.</summary>
internal sealed class RequiresAdminToken
{
    /// <summary>The shared instance.</summary>
    public static RequiresAdminToken Instance { get; } = new();
}
