// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Recovery;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>A probe whose answer the test sets per service; records every call with the time it was made.</summary>
internal sealed class FakeProbe(TimeProvider time) : IRecoveryProbe
{
    private readonly Dictionary<string, bool> _healthy = new(StringComparer.Ordinal);

    public List<(string Service, DateTimeOffset At)> Calls { get; } = [];

    public void SetHealthy(string service, bool healthy)
    {
        lock (_healthy)
        {
            _healthy[service] = healthy;
        }
    }

    public ValueTask<RecoveryProbeResult> ProbeAsync(string service, CancellationToken cancellationToken)
    {
        lock (_healthy)
        {
            Calls.Add((service, time.GetUtcNow()));
            var healthy = _healthy.TryGetValue(service, out var value) && value;
            return ValueTask.FromResult(new RecoveryProbeResult(healthy, healthy ? "fake healthy" : "fake unhealthy"));
        }
    }
}
