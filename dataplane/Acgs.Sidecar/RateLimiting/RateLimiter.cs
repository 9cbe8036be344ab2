// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Acgs.Contracts.RateLimiting;

namespace Acgs.Sidecar.RateLimiting;

/// <summary>
/// The compiled <c>rate_limit</c> of the active snapshot: the bucket arithmetic in <see cref="TimeProvider"/> ticks and
/// the buckets — one, or one per caller or tenant key, at most <see cref="MaxKeys"/> (keys seen after that share one
/// overflow bucket, so memory stays bounded whatever callers send). <see cref="TryAcquire"/> allocates nothing once a
/// key has its bucket.
/// </summary>
internal sealed class RateLimiter
{
    /// <summary>Most buckets of distinct keys per sidecar.</summary>
    public const int MaxKeys = 1024;

    /// <summary>Longest key (a tenant or SPIFFE ID) given its own bucket; longer ones share the overflow bucket.</summary>
    public const int MaxKeyLength = 2048;

    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);
    private readonly TokenBucket _shared = new();
    private readonly TokenBucket _overflow = new();
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly long _capacity;
    private int _keys;

    public RateLimiter(RateLimitConfig config, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(time);
        Config = config;
        _time = time;
        _interval = Math.Max(1, (long)Math.Round(time.TimestampFrequency / config.RequestsPerSecond));
        _capacity = checked(_interval * config.Burst);
    }

    /// <summary>The config this limiter was built from (its buckets are kept while an equal config stays active).</summary>
    public RateLimitConfig Config { get; }

    /// <summary>What one bucket counts.</summary>
    public RateLimitKey Per => Config.Per;

    /// <summary>Buckets of distinct keys so far.</summary>
    public int KeyCount => Volatile.Read(ref _keys);

    /// <summary>
    /// Takes one request's token from the bucket of <paramref name="key"/> (ignored when <see cref="Per"/> is service);
    /// false when the budget is spent, with the whole seconds after which a token is back (at least 1).
    /// </summary>
    public bool TryAcquire(string? key, out int retryAfterSeconds)
    {
        var bucket = Per == RateLimitKey.Service ? _shared : BucketOf(key ?? string.Empty);
        if (bucket.TryTake(_time.GetTimestamp(), _interval, _capacity, out var wait))
        {
            retryAfterSeconds = 0;
            return true;
        }

        var frequency = _time.TimestampFrequency;
        retryAfterSeconds = (int)Math.Clamp((wait + frequency - 1) / frequency, 1, int.MaxValue);
        return false;
    }

    private TokenBucket BucketOf(string key)
    {
        if (_buckets.TryGetValue(key, out var bucket))
        {
            return bucket;
        }

        if (key.Length > MaxKeyLength)
        {
            return _overflow;
        }

        if (Interlocked.Increment(ref _keys) > MaxKeys)
        {
            Interlocked.Decrement(ref _keys);
            return _overflow;
        }

        var added = new TokenBucket();
        if (!_buckets.TryAdd(key, added))
        {
            Interlocked.Decrement(ref _keys); // another request added it first
            return _buckets.TryGetValue(key, out bucket) ? bucket : _overflow;
        }

        return added;
    }
}
