// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Identity;

/// <summary>The control plane refused a certificate request (status and reason code from its problem+json).</summary>
internal sealed class IdentityRequestException : Exception
{
    public IdentityRequestException()
    {
    }

    public IdentityRequestException(string message)
        : base(message)
    {
    }

    public IdentityRequestException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public IdentityRequestException(int status, string reason)
        : base($"the control plane refused the certificate request: {status} {reason}")
    {
        Status = status;
        Reason = reason;
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }

    /// <summary>The problem's <c>reason</c>, or empty.</summary>
    public string Reason { get; } = string.Empty;
}
