// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Store;

/// <summary>The embedded store holds a policy whose content does not match its hash: the control plane refuses to start (exit 2).</summary>
internal sealed class StoreIntegrityException : Exception
{
    public StoreIntegrityException()
    {
    }

    public StoreIntegrityException(string message)
        : base(message)
    {
    }

    public StoreIntegrityException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
