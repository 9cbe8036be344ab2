// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli.Api;

/// <summary>The control plane did not answer (connection refused, DNS, timeout): exit code 3.</summary>
internal sealed class ControlPlaneUnreachableException : Exception
{
    public ControlPlaneUnreachableException()
    {
    }

    public ControlPlaneUnreachableException(string message)
        : base(message)
    {
    }

    public ControlPlaneUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
