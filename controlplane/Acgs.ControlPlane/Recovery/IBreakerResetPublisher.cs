// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;

namespace Acgs.ControlPlane.Recovery;

/// <summary>Sends a breaker reset to every sidecar (production: <see cref="WatchStreamBreakerResetPublisher"/>).</summary>
internal interface IBreakerResetPublisher
{
    /// <summary>Pushes <paramref name="reset"/> to every connected sidecar; returns how many it was queued for.</summary>
    int Publish(BreakerReset reset);
}
