// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Policies;

/// <summary>Told about every committed change, after the commit (must not throw or block).</summary>
internal interface IPolicyChangeListener
{
    /// <summary>Called once per committed change.</summary>
    void OnPolicyChanged(PolicyChange change);
}
