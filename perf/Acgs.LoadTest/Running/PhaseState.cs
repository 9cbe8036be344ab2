// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Stats;

namespace Acgs.LoadTest.Running;

/// <summary>What in-flight requests of one phase (warm-up or measured) share: the sink their
/// results go to and the count of requests still running.</summary>
internal sealed class PhaseState(Scenario scenario, StatsSink sink, CancellationToken cancellationToken)
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _inFlight = 1; // the pacer holds one reference until it has dispatched everything

    public Scenario Scenario { get; } = scenario;

    public StatsSink Sink { get; } = sink;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public Task Drained => _drained.Task;

    public long InFlight => Volatile.Read(ref _inFlight);

    public void OnRequestStarted() => Interlocked.Increment(ref _inFlight);

    public void OnRequestCompleted()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0)
        {
            _drained.TrySetResult();
        }
    }
}
