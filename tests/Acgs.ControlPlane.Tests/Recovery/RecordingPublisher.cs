// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.ControlPlane.Recovery;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>Records the breaker resets the orchestrator publishes; answers that it reached <see cref="Sidecars"/>.</summary>
internal sealed class RecordingPublisher : IBreakerResetPublisher
{
    public List<BreakerReset> Resets { get; } = [];

    public int Sidecars { get; set; } = 3;

    public int Publish(BreakerReset reset)
    {
        lock (Resets)
        {
            Resets.Add(reset);
        }

        return Sidecars;
    }
}
