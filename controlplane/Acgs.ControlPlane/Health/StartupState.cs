// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Health;

/// <summary>Set once the store is initialized: what <c>/health/startup</c> reports.</summary>
internal sealed class StartupState
{
    private volatile bool _started;

    /// <summary>True once startup work is done.</summary>
    public bool IsStarted => _started;

    /// <summary>Marks startup as done.</summary>
    public void MarkStarted() => _started = true;
}
