// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Validation;

namespace Acgs.Contracts.RateLimiting;

/// <summary>The bounds of a rate limit and their validation, shared by the <c>RateLimit</c> policy and the snapshot.</summary>
public static class RateLimits
{
    /// <summary>Smallest <c>requests_per_second</c> (one request in 1000 s).</summary>
    public const double MinRequestsPerSecond = 0.001;

    /// <summary>Largest <c>requests_per_second</c>.</summary>
    public const double MaxRequestsPerSecond = 1_000_000;

    /// <summary>Largest <c>burst</c>.</summary>
    public const int MaxBurst = 1_000_000;

    /// <summary>The tenant header of HTTP requests (bus messages carry their tenant in the message).</summary>
    public const string TenantHeader = "x-acgs-tenant";

    /// <summary>The burst a policy without one gets: one second's worth of requests, at least 1.</summary>
    public static int DefaultBurst(double requestsPerSecond) =>
        (int)Math.Clamp(Math.Ceiling(requestsPerSecond), 1, MaxBurst);

    /// <summary>Adds every problem of the values to <paramref name="errors"/> (paths under <paramref name="path"/>); <paramref name="burst"/> 0 = not given when <paramref name="burstOptional"/>.</summary>
    public static void Validate(double requestsPerSecond, int burst, RateLimitKey per, bool burstOptional, ValidationBuilder errors, string path)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!double.IsFinite(requestsPerSecond) || requestsPerSecond < MinRequestsPerSecond || requestsPerSecond > MaxRequestsPerSecond)
        {
            errors.Add(ValidationPath.Child(path, "requests_per_second"), string.Create(CultureInfo.InvariantCulture,
                $"must be between {MinRequestsPerSecond} and {MaxRequestsPerSecond} (a number of requests per second), got {requestsPerSecond}"));
        }

        if (!(burstOptional && burst == 0))
        {
            errors.Range(burst, 1, MaxBurst, ValidationPath.Child(path, "burst"));
        }

        if (!Enum.IsDefined(per))
        {
            errors.Add(ValidationPath.Child(path, "per"), "must be service, caller or tenant");
        }
    }
}
