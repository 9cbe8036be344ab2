// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Admin;

/// <summary>
/// Drains the sidecar: readiness turns false at once, then the host stops — Kestrel stops accepting
/// connections and lets in-flight requests finish within the drain timeout
/// (<c>HostOptions.ShutdownTimeout</c> = <c>ACGS_DRAIN_TIMEOUT_SECONDS</c>). SIGTERM takes the same path.
/// </summary>
internal sealed partial class DrainCoordinator
{
    private readonly HealthState _health;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<DrainCoordinator> _logger;

    /// <summary>Creates the coordinator and hooks it to host shutdown (SIGTERM).</summary>
    public DrainCoordinator(HealthState health, IHostApplicationLifetime lifetime, ILogger<DrainCoordinator> logger)
    {
        _health = health;
        _lifetime = lifetime;
        _logger = logger;
        lifetime.ApplicationStopping.Register(static state => ((DrainCoordinator)state!).OnStopping(), this);
    }

    /// <summary>Starts draining (idempotent): readiness false, then the host stops accepting and finishes in-flight requests.</summary>
    public void BeginDrain(string trigger)
    {
        if (_health.BeginDrain())
        {
            LogDraining(trigger);
        }

        // Stop on the thread pool so the caller (e.g. the POST /drain response) completes first.
        _ = Task.Run(_lifetime.StopApplication);
    }

    private void OnStopping()
    {
        if (_health.BeginDrain())
        {
            LogDraining("host stopping (SIGTERM)");
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "draining: readiness is false, no new connections are accepted, in-flight requests may finish (trigger: {Trigger})")]
    private partial void LogDraining(string trigger);
}
