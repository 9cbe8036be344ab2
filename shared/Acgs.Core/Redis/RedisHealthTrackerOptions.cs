// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.Redis;

/// <summary>Settings of <see cref="RedisHealthTracker"/>.</summary>
public sealed record RedisHealthTrackerOptions
{
    /// <summary>5 s interval, 2 s ping timeout, unhealthy after 3 consecutive failures.</summary>
    public static RedisHealthTrackerOptions Default { get; } = new();

    /// <summary>Time between two pings of the background loop. Default 5 s.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A ping that has not answered after this long counts as failed. Default 2 s.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Consecutive failed pings that make Redis unhealthy. Default 3; one success makes it healthy again.</summary>
    public int FailureThreshold { get; init; } = 3;

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Interval <= TimeSpan.Zero || Interval > TimeSpan.FromHours(1))
        {
            errors.Add($"interval must be greater than 0 and at most 1 hour, got {Interval}");
        }

        if (PingTimeout <= TimeSpan.Zero || PingTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add($"ping timeout must be greater than 0 and at most 5 minutes, got {PingTimeout}");
        }

        if (FailureThreshold is < 1 or > 1_000)
        {
            errors.Add($"failure threshold must be between 1 and 1000, got {FailureThreshold}");
        }

        return errors;
    }
}
