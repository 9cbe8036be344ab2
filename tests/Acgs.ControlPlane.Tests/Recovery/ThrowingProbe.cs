// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Recovery;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>A probe that always throws.</summary>
internal sealed class ThrowingProbe : IRecoveryProbe
{
    public int Calls { get; private set; }

    public ValueTask<RecoveryProbeResult> ProbeAsync(string service, CancellationToken cancellationToken)
    {
        Calls++;
        throw new InvalidOperationException("probe broke");
    }
}
