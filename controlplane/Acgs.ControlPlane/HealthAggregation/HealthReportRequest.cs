// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.HealthAggregation;

/// <summary>
/// Body of <c>PUT /api/v1/health/{service}/{node}</c>:
/// <c>{"clusters":[{"name":"orders","state":"closed"}],"requests_total":10,"errors_total":1}</c> (the totals are optional).
/// </summary>
internal sealed record HealthReportRequest(IReadOnlyList<ClusterStateReport?>? Clusters, long? RequestsTotal, long? ErrorsTotal);
