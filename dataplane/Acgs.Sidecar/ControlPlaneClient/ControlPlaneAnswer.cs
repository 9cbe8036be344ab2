// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>The control plane's answer to one call: its status and, when it refused, the problem text it sent (for the log).</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Problem">The response body of a refusal (non-2xx), else null.</param>
internal readonly record struct ControlPlaneAnswer(int Status, string? Problem)
{
    /// <summary>True for a 2xx answer.</summary>
    public bool Accepted => Status is >= 200 and < 300;
}
