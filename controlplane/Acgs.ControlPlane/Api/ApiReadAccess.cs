// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Api;

/// <summary>Who may read the API's configuration and state (<c>ACGS_API_READS</c>).</summary>
internal enum ApiReadAccess
{
    /// <summary>The default: a read-scope (<c>ACGS_READ_TOKEN</c>) or admin-scope (<c>ACGS_ADMIN_TOKEN</c>) token is required.</summary>
    Token,

    /// <summary>Anyone who reaches the port (a warning at start).</summary>
    Open,
}
