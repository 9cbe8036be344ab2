// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Chaos;

namespace Acgs.ControlPlane.Chaos;

/// <summary>
/// Body of the <c>/api/v1/chaos/emergency-stop</c> endpoints: <c>engaged</c>, and while engaged (or, for a
/// lift, the stop just lifted) <c>reason</c>, <c>engaged_at</c>, <c>engaged_by</c>; <c>changed</c> tells
/// whether the request changed anything.
/// </summary>
internal sealed record EmergencyStopView(bool Engaged, bool Changed, string? Reason, DateTimeOffset? EngagedAt, string? EngagedBy)
{
    /// <summary>The view of <paramref name="stop"/>.</summary>
    public static EmergencyStopView From(EmergencyStop? stop, bool engaged, bool changed) =>
        new(engaged, changed, stop?.Reason, stop?.EngagedAt, stop?.EngagedBy);
}
