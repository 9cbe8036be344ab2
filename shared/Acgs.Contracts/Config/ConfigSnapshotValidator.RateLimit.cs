// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.RateLimiting;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.Config;

public static partial class ConfigSnapshotValidator
{
    private static void ValidateRateLimit(RateLimitConfig? rateLimit, List<string> errors)
    {
        if (rateLimit is null)
        {
            return;
        }

        var builder = new ValidationBuilder();
        builder.Name(rateLimit.Name, "rate_limit.name");
        RateLimits.Validate(rateLimit.RequestsPerSecond, rateLimit.Burst, rateLimit.Per, burstOptional: false, builder, "rate_limit");
        foreach (var error in builder.Build().Errors)
        {
            errors.Add(error.ToString());
        }
    }
}
