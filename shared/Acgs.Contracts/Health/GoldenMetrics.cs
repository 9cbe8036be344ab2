// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;

namespace Acgs.Contracts.Health;

/// <summary>The golden signals of a sidecar over its last report interval.</summary>
/// <param name="RequestsPerSecond">Requests per second (JSON <c>requests_per_second</c>).</param>
/// <param name="ErrorRate">Share of requests that failed, 0–1 (JSON <c>error_rate</c>).</param>
/// <param name="P50Ms">Median latency in milliseconds (JSON <c>p50_ms</c>).</param>
/// <param name="P99Ms">99th-percentile latency in milliseconds (JSON <c>p99_ms</c>).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GoldenMetrics(
    double RequestsPerSecond = 0,
    double ErrorRate = 0,
    [property: JsonPropertyName("p50_ms")] double P50Ms = 0,
    [property: JsonPropertyName("p99_ms")] double P99Ms = 0);
