// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// One service-to-service edge in the health views, from the sidecars' last golden-metrics reports: <see cref="Source"/> calls
/// <see cref="Destination"/> (a service, or the upstream cluster the source calls it by). <see cref="ReportedBy"/> is
/// <c>source</c> (the caller's outbound view: its own refusals, such as an open breaker, included) or <c>destination</c> (the
/// callee's inbound view). Requests, errors and rates are summed over the reporting nodes; p50 and p99 are the worst node's.
/// </summary>
internal sealed record EdgeView(
    string Source,
    string Destination,
    string ReportedBy,
    long Requests,
    long Errors,
    double Rps,
    double SuccessRate,
    double P50Ms,
    double P99Ms);
