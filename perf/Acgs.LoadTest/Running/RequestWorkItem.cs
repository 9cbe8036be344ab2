// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Stats;

namespace Acgs.LoadTest.Running;

/// <summary>One open-model request: handed by the pacer to the thread pool with its intended start,
/// runs the step, records the result and returns itself to the pool. Allocation-free when the step is.</summary>
internal sealed class RequestWorkItem : IThreadPoolWorkItem, IStepContext
{
    private readonly ConcurrentQueue<RequestWorkItem> _pool;
    private readonly Action _onCompleted;
    private PhaseState _phase = null!;
    private ConfiguredValueTaskAwaitable<StepResult>.ConfiguredValueTaskAwaiter _awaiter;
    private long _actualStart;
    private long _sendStart;

    private RequestWorkItem(ConcurrentQueue<RequestWorkItem> pool)
    {
        _pool = pool;
        _onCompleted = OnStepCompleted;
    }

    public string ScenarioName => _phase.Scenario.Name;

    public long InvocationNumber { get; private set; }

    public long IntendedStart { get; private set; }

    public CancellationToken CancellationToken => _phase.CancellationToken;

    public static RequestWorkItem Rent(ConcurrentQueue<RequestWorkItem> pool, PhaseState phase, long invocation, long intended)
    {
        if (!pool.TryDequeue(out var item))
        {
            item = new RequestWorkItem(pool);
        }

        item._phase = phase;
        item.InvocationNumber = invocation;
        item.IntendedStart = intended;
        return item;
    }

    public void Execute()
    {
        _actualStart = StatsSink.Now();
        _sendStart = 0;
        _phase.Sink.RecordDispatch(IntendedStart, _actualStart);
        ValueTask<StepResult> pending;
        try
        {
            pending = _phase.Scenario.Step(this);
        }
#pragma warning disable CA1031 // a throwing step is a failed request, never a crashed generator
        catch (Exception)
#pragma warning restore CA1031
        {
            Complete(StepResult.Fail());
            return;
        }

        if (pending.IsCompleted)
        {
            _awaiter = pending.ConfigureAwait(false).GetAwaiter();
            OnStepCompleted();
            return;
        }

        _awaiter = pending.ConfigureAwait(false).GetAwaiter();
        _awaiter.UnsafeOnCompleted(_onCompleted);
    }

    public void MarkSendStart() => _sendStart = StatsSink.Now();

    public void MarkPoolWait() => _phase.Sink.RecordPoolWait();

    public ValueTask<StepResult> RunStepAsync(string name, Func<IStepContext, ValueTask<StepResult>> stepFunc) =>
        NamedStep.RunAsync(this, _phase.Sink, name, stepFunc);

    private void OnStepCompleted()
    {
        StepResult result;
        try
        {
            result = _awaiter.GetResult();
        }
#pragma warning disable CA1031 // a throwing step is a failed request
        catch (Exception)
#pragma warning restore CA1031
        {
            result = StepResult.Fail();
        }

        _awaiter = default;
        Complete(result);
    }

    private void Complete(in StepResult result)
    {
        var phase = _phase;
        var end = StatsSink.Now();
        phase.Sink.RecordCompletion(IntendedStart, _sendStart == 0 ? _actualStart : _sendStart, end, result);
        _phase = null!;
        _pool.Enqueue(this);
        phase.OnRequestCompleted();
    }
}
