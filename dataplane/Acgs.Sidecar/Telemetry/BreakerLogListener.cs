// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core;
using Acgs.Core.CircuitBreaker;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Telemetry;

/// <summary>
/// Logs every breaker transition with the constitutional-hash prefix (docs/resilience.md): opening
/// as a warning (with the consecutive-failure threshold and reset timeout), the others as information.
/// </summary>
internal sealed partial class BreakerLogListener : ICircuitBreakerListener
{
    private readonly ILogger<BreakerLogListener> _logger;

    /// <summary>Creates the listener.</summary>
    public BreakerLogListener(ILogger<BreakerLogListener> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc />
    public void OnStateChanged(CircuitBreaker breaker, CircuitState previous, CircuitState current)
    {
        ArgumentNullException.ThrowIfNull(breaker);
        if (current == CircuitState.Open)
        {
            var options = breaker.Options;
            CircuitOpened(breaker.Name, previous, current, options.FailMax, options.ResetTimeout.TotalSeconds);
        }
        else
        {
            CircuitChanged(breaker.Name, previous, current);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning,
        Message = AcgsConstants.LogPrefix + " circuit {Cluster}: {From} -> {To} (fail_max {FailMax}, reset_timeout {ResetTimeoutSeconds} s)")]
    private partial void CircuitOpened(string cluster, CircuitState from, CircuitState to, int failMax, double resetTimeoutSeconds);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information,
        Message = AcgsConstants.LogPrefix + " circuit {Cluster}: {From} -> {To}")]
    private partial void CircuitChanged(string cluster, CircuitState from, CircuitState to);
}
