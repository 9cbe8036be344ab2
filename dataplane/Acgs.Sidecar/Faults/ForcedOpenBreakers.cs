// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Faults;

/// <summary>
/// The <c>force_open_breaker</c> fault rules of the active snapshot (docs/sidecar-config.md): while such a rule is
/// active, its cluster's breaker is held open (<see cref="CircuitBreaker.HoldOpen"/>), so requests to the
/// cluster get the sidecar's ordinary circuit-open answer (503, <c>x-acgs-circuit: open</c>, Retry-After until
/// the rule's expiry) and metrics and health reports show the breaker open. The hold ends when the rule
/// expires (<c>expires_at</c>, a <see cref="TimeProvider"/> timer) or is no longer in a newly applied
/// snapshot. Only breakers a rule opened are closed on release; a breaker that was already open (real
/// failures) only loses the hold and follows its own reset timer again. Works off the request path: the
/// resilience handler simply finds the breaker open.
/// </summary>
internal sealed partial class ForcedOpenBreakers : IDisposable
{
    private static readonly TimerCallback Tick = static state => ((ForcedOpenBreakers)state!).OnTimer();

    private readonly CircuitBreakerRegistry _breakers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FaultMetrics _metrics;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Hold> _holds = new(StringComparer.Ordinal);
    private (string Cluster, string Rule, long ExpiresAtUtcTicks)[] _rules = [];
    private ITimer? _timer;
    private bool _disposed;

    /// <summary>Creates the tracker over <paramref name="breakers"/>; holds are counted in <paramref name="metrics"/>.</summary>
    public ForcedOpenBreakers(CircuitBreakerRegistry breakers, TimeProvider time, ILogger logger, FaultMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(breakers);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(metrics);
        _breakers = breakers;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The clusters whose breakers are held open now, ordered by name.</summary>
    public IReadOnlyList<string> HeldClusters
    {
        get
        {
            lock (_gate)
            {
                var list = new List<string>(_holds.Keys);
                list.Sort(StringComparer.Ordinal);
                return list;
            }
        }
    }

    /// <summary>Takes the force-open rules of a newly applied (validated) <paramref name="snapshot"/>: holds and releases accordingly.</summary>
    public void Apply(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var rules = new List<(string, string, long)>();
        if (!snapshot.FaultRules.IsDefaultOrEmpty)
        {
            for (var i = 0; i < snapshot.FaultRules.Length; i++)
            {
                var rule = snapshot.FaultRules[i];
                if (rule.ForceOpenBreaker && rule.Cluster is { } cluster)
                {
                    rules.Add((cluster, rule.Name ?? "fault_rules[" + i.ToString(CultureInfo.InvariantCulture) + "]", rule.ExpiresAt?.UtcTicks ?? long.MaxValue));
                }
            }
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _rules = [.. rules];
            Reconcile();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                Reconcile();
            }
        }
    }

    // Caller holds _gate. Holds what active rules want, releases the rest, arms the timer for the next expiry.
    private void Reconcile()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var wanted = new Dictionary<string, (string Rule, long Until)>(StringComparer.Ordinal);
        foreach (var (cluster, rule, expires) in _rules)
        {
            if (now < expires && (!wanted.TryGetValue(cluster, out var current) || expires > current.Until))
            {
                wanted[cluster] = (rule, expires);
            }
        }

        foreach (var (cluster, hold) in new List<KeyValuePair<string, Hold>>(_holds))
        {
            if (!wanted.ContainsKey(cluster))
            {
                hold.Breaker.ReleaseHold(hold.Token);
                _holds.Remove(cluster);
                LogReleased(cluster, hold.Rule, hold.Token != 0);
            }
        }

        var next = long.MaxValue;
        foreach (var (cluster, (rule, until)) in wanted)
        {
            DateTimeOffset? end = until == long.MaxValue ? null : new DateTimeOffset(until, TimeSpan.Zero);
            if (_holds.TryGetValue(cluster, out var hold))
            {
                if (hold.Until != until)
                {
                    _ = hold.Breaker.HoldOpen(end); // already held: only the expected end changes, the token stays
                    _holds[cluster] = hold with { Rule = rule, Until = until };
                }
            }
            else
            {
                var breaker = _breakers.Get(cluster);
                var token = breaker.HoldOpen(end);
                _holds[cluster] = new Hold(breaker, token, rule, until);
                _metrics.ForcedOpen.Inc();
                LogHeld(cluster, rule, token != 0);
            }

            next = Math.Min(next, until);
        }

        if (next == long.MaxValue)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = TimeSpan.FromTicks(Math.Max(0, next - now));
        if (_timer is null)
        {
            _timer = _time.CreateTimer(Tick, this, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Warning, Message = "fault rule '{Rule}' holds the breaker of cluster '{Cluster}' open (opened by the rule: {Opened})")]
    private partial void LogHeld(string cluster, string rule, bool opened);

    [LoggerMessage(EventId = 131, Level = LogLevel.Information, Message = "fault rule '{Rule}' released the breaker of cluster '{Cluster}' (closed by the release: {Closed})")]
    private partial void LogReleased(string cluster, string rule, bool closed);

    private sealed record Hold(CircuitBreaker Breaker, long Token, string Rule, long Until);
}
