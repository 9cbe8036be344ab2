// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.Redis;

/// <summary>Redis moved between healthy and unhealthy.</summary>
public sealed class RedisHealthChangedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public RedisHealthChangedEventArgs(bool isHealthy, int consecutiveFailures, DateTimeOffset changedAt, string? lastError)
    {
        IsHealthy = isHealthy;
        ConsecutiveFailures = consecutiveFailures;
        ChangedAt = changedAt;
        LastError = lastError;
    }

    /// <summary>The new state.</summary>
    public bool IsHealthy { get; }

    /// <summary>Consecutive failed pings at the time of the change (0 when it became healthy).</summary>
    public int ConsecutiveFailures { get; }

    /// <summary>When the change happened (from the tracker's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset ChangedAt { get; }

    /// <summary>The last failure's message (exception type and message), or <see langword="null"/>.</summary>
    public string? LastError { get; }
}
