// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;

namespace Acgs.Core.CircuitBreaker;

/// <summary>
/// One breaker per upstream service, keyed by name. Settings resolve as: explicit override (a
/// policy) → the seed's per-service default → the mesh default.
/// </summary>
public sealed class CircuitBreakerRegistry
{
    private readonly ConcurrentDictionary<string, CircuitBreaker> _breakers = new(StringComparer.Ordinal);
    private readonly ICircuitBreakerListener[] _listeners;
    private readonly TimeProvider _time;
    private IReadOnlyDictionary<string, CircuitBreakerOptions> _overrides;

    /// <summary>Creates an empty registry.</summary>
    public CircuitBreakerRegistry(
        TimeProvider? timeProvider = null,
        IEnumerable<ICircuitBreakerListener>? listeners = null,
        IReadOnlyDictionary<string, CircuitBreakerOptions>? overrides = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _listeners = listeners is null ? [] : [.. listeners];
        _overrides = overrides ?? new Dictionary<string, CircuitBreakerOptions>(StringComparer.Ordinal);
        ThrowIfInvalid(_overrides, nameof(overrides));
    }

    /// <summary>How many breakers exist.</summary>
    public int Count => _breakers.Count;

    /// <summary>The breaker for <paramref name="service"/>, created closed on first use.</summary>
    public CircuitBreaker Get(string service)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        return _breakers.TryGetValue(service, out var breaker) ? breaker : _breakers.GetOrAdd(service, Create);
    }

    /// <summary>The breaker for <paramref name="service"/> if it exists.</summary>
    public bool TryGet(string service, out CircuitBreaker? breaker) => _breakers.TryGetValue(service, out breaker);

    /// <summary>The settings a breaker for <paramref name="service"/> has or would get.</summary>
    public CircuitBreakerOptions OptionsFor(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Volatile.Read(ref _overrides).TryGetValue(service, out var options) ? options : ServiceBreakerDefaults.For(service);
    }

    /// <summary>
    /// Replaces the per-service overrides (a new config snapshot) and re-applies the resolved
    /// settings to every existing breaker; states are kept. Invalid overrides are refused as a whole
    /// (<see cref="ArgumentException"/> listing every error) and change nothing.
    /// </summary>
    public void ApplyOverrides(IReadOnlyDictionary<string, CircuitBreakerOptions> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ThrowIfInvalid(overrides, nameof(overrides));
        Volatile.Write(ref _overrides, overrides);
        foreach (var pair in _breakers)
        {
            pair.Value.UpdateOptions(OptionsFor(pair.Key));
        }
    }

    /// <summary>Closes every breaker (mesh-wide recovery).</summary>
    public void ResetAll()
    {
        foreach (var pair in _breakers)
        {
            pair.Value.Reset();
        }
    }

    /// <summary>A point-in-time list of the breakers, ordered by name.</summary>
    public IReadOnlyList<CircuitBreaker> Snapshot()
    {
        var list = new List<CircuitBreaker>(_breakers.Count);
        foreach (var pair in _breakers)
        {
            list.Add(pair.Value);
        }

        list.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    private static void ThrowIfInvalid(IReadOnlyDictionary<string, CircuitBreakerOptions> overrides, string paramName)
    {
        List<string>? errors = null;
        foreach (var pair in overrides)
        {
            if (pair.Value is null)
            {
                (errors ??= []).Add($"{pair.Key}: options are required");
                continue;
            }

            foreach (var error in pair.Value.Validate())
            {
                (errors ??= []).Add($"{pair.Key}: {error}");
            }
        }

        if (errors is not null)
        {
            throw new ArgumentException(string.Join("; ", errors), paramName);
        }
    }

    private CircuitBreaker Create(string service) => new(service, OptionsFor(service), _time, _listeners);
}
