// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Core.CircuitBreaker;

namespace Acgs.Contracts.Health;

/// <summary>The breaker state of one upstream cluster as a sidecar sees it.</summary>
/// <param name="Cluster">The cluster (upstream service) name (JSON <c>cluster</c>).</param>
/// <param name="State">closed, half_open or open (JSON <c>state</c>).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ClusterHealth(
    string Cluster = "",
    [property: JsonConverter(typeof(CircuitStateJsonConverter))] CircuitState State = CircuitState.Closed);
