// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.CompilerServices;
using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Stats;

namespace Acgs.LoadTest.Running;

/// <summary>Runs a named sub-step and records its own stats (step start to end).</summary>
internal static class NamedStep
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<StepResult> RunAsync(IStepContext context, StatsSink sink, string name, Func<IStepContext, ValueTask<StepResult>> step)
    {
        var stepSink = sink.Step(name);
        var start = StatsSink.Now();
        StepResult result;
        try
        {
            result = await step(context).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // a throwing step is a failed step
        catch (Exception)
#pragma warning restore CA1031
        {
            result = StepResult.Fail();
        }

        stepSink.RecordCompletion(start, start, StatsSink.Now(), result);
        return result;
    }
}
