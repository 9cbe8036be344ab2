// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.Contracts.Config;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Policies;

/// <summary>
/// The trace sampling of a service or the mesh (kind <c>Tracing</c>, docs/observability.md): the share of new traces the
/// sidecars of the target record, in place of their <c>OTEL_TRACES_SAMPLER_ARG</c>. It cannot turn tracing on: a
/// sidecar without <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> keeps recording nothing.
/// </summary>
/// <param name="SamplingRatio">0 to 1 (0 = no new trace, 1 = every one). Required.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TracingSpec(double? SamplingRatio = null) : PolicySpec
{
    /// <inheritdoc/>
    [JsonIgnore]
    public override PolicyKind Kind => PolicyKind.Tracing;

    internal override void Validate(ValidationBuilder errors, string path) =>
        TracingConfig.ValidateRatio(SamplingRatio, errors, ValidationPath.Child(path, "sampling_ratio"));
}
