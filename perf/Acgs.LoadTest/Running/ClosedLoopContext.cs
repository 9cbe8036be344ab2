// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Stats;

namespace Acgs.LoadTest.Running;

/// <summary>One copy of the closed model: runs the step back to back until the phase ends.</summary>
internal sealed class ClosedLoopContext(PhaseState phase) : IStepContext
{
    private long _sendStart;

    public string ScenarioName => phase.Scenario.Name;

    public long InvocationNumber { get; private set; }

    public long IntendedStart { get; private set; }

    public CancellationToken CancellationToken => phase.CancellationToken;

    public void MarkSendStart() => _sendStart = StatsSink.Now();

    public void MarkPoolWait() => phase.Sink.RecordPoolWait();

    public ValueTask<StepResult> RunStepAsync(string name, Func<IStepContext, ValueTask<StepResult>> stepFunc) =>
        NamedStep.RunAsync(this, phase.Sink, name, stepFunc);

    public async Task RunAsync(long endTimestamp, Func<long> nextInvocation)
    {
        while (StatsSink.Now() < endTimestamp && !phase.CancellationToken.IsCancellationRequested)
        {
            var start = StatsSink.Now();
            IntendedStart = start;
            _sendStart = 0;
            InvocationNumber = nextInvocation();
            phase.Sink.RecordDispatch(start, start);
            StepResult result;
            try
            {
                result = await phase.Scenario.Step(this).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // a throwing step is a failed request
            catch (Exception)
#pragma warning restore CA1031
            {
                result = StepResult.Fail();
            }

            phase.Sink.RecordCompletion(start, _sendStart == 0 ? start : _sendStart, StatsSink.Now(), result);
        }
    }
}
