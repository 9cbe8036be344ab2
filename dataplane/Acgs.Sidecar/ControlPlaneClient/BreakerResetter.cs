// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// Performs the breaker resets a snapshot from the control plane carries (<see cref="ConfigSnapshot.BreakerResets"/>,
/// sent by its recovery orchestrator): closes each named breaker this sidecar has, once per reset id (the last
/// <see cref="RememberedIds"/> ids are remembered, so a re-sent snapshot does not reset again). A breaker held open
/// by a chaos force-open rule is left alone: the chaos rule wins until it ends. Breakers this sidecar never created are
/// not created. Thread-safe.
/// </summary>
internal sealed partial class BreakerResetter
{
    /// <summary>How many reset ids are remembered.</summary>
    public const int RememberedIds = 256;

    private readonly CircuitBreakerRegistry? _breakers;
    private readonly ILogger<BreakerResetter> _logger;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    /// <summary>Creates the resetter; without a registry (no proxy in this host) every reset closes nothing.</summary>
    public BreakerResetter(CircuitBreakerRegistry? breakers, ILogger<BreakerResetter> logger)
    {
        _breakers = breakers;
        _logger = logger;
    }

    /// <summary>Breakers closed so far.</summary>
    public int Closed { get; private set; }

    /// <summary>Performs the resets not seen before; returns how many breakers it closed.</summary>
    public int Apply(IReadOnlyList<BreakerReset>? resets)
    {
        if (resets is null || resets.Count == 0)
        {
            return 0;
        }

        var closed = 0;
        foreach (var reset in resets)
        {
            if (reset is null || !Remember(reset.Id))
            {
                continue;
            }

            var count = 0;
            foreach (var name in reset.Clusters)
            {
                if (_breakers is null || !_breakers.TryGet(name, out var breaker) || breaker is null || breaker.IsHeldOpen)
                {
                    continue;
                }

                var was = breaker.State;
                breaker.Reset();
                if (was != CircuitState.Closed)
                {
                    count++;
                }
            }

            closed += count;
            LogReset(reset.Id, string.Join(",", reset.Clusters), count, reset.Reason ?? string.Empty);
        }

        lock (_lock)
        {
            Closed += closed;
        }

        return closed;
    }

    private bool Remember(string id)
    {
        lock (_lock)
        {
            if (!_seen.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            while (_order.Count > RememberedIds)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }

    [LoggerMessage(EventId = 730, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] breaker reset {Id} from the control plane ({Reason}): clusters {Clusters}, {Count} breaker(s) closed")]
    private partial void LogReset(string id, string clusters, int count, string reason);
}
