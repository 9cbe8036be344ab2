// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Config;

/// <summary>
/// The trace sampling of a snapshot's service (JSON <c>tracing</c>), compiled from the <c>Tracing</c> policy that targets
/// it (or the mesh's). Null in a snapshot = the sidecar's <c>OTEL_TRACES_SAMPLER_ARG</c>.
/// </summary>
public sealed record TracingConfig
{
    /// <summary>The policy's name (JSON <c>name</c>).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The share of new traces recorded, 0 to 1 (JSON <c>sampling_ratio</c>).</summary>
    public double SamplingRatio { get; init; }

    /// <summary>Adds a problem to <paramref name="errors"/> at <paramref name="path"/> unless <paramref name="ratio"/> is a number from 0 to 1.</summary>
    public static void ValidateRatio(double? ratio, ValidationBuilder errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (ratio is not { } value)
        {
            errors.Add(path, "is required: a number from 0 to 1 (the share of new traces recorded)");
        }
        else if (!double.IsFinite(value) || value < 0 || value > 1)
        {
            errors.Add(path, string.Create(CultureInfo.InvariantCulture, $"must be a number from 0 to 1 (the share of new traces recorded), got {value}"));
        }
    }
}
