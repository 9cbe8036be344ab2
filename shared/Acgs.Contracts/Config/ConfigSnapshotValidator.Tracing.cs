// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Config;

public static partial class ConfigSnapshotValidator
{
    private static void ValidateTracing(TracingConfig? tracing, List<string> errors)
    {
        if (tracing is null)
        {
            return;
        }

        var builder = new ValidationBuilder();
        builder.Name(tracing.Name, "tracing.name");
        TracingConfig.ValidateRatio(tracing.SamplingRatio, builder, "tracing.sampling_ratio");
        foreach (var error in builder.Build().Errors)
        {
            errors.Add(error.ToString());
        }
    }
}
