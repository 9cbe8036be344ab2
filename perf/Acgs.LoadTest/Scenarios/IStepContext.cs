// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Scenarios;

/// <summary>What a scenario step sees for one invocation.</summary>
public interface IStepContext
{
    /// <summary>The scenario's name.</summary>
    string ScenarioName { get; }

    /// <summary>Sequence number of this invocation within its phase (warm-up or measured).</summary>
    long InvocationNumber { get; }

    /// <summary>Stopwatch timestamp at which the load model intended this invocation to start.</summary>
    long IntendedStart { get; }

    /// <summary>Cancelled when the run is aborted.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>Marks the moment the request actually goes out (e.g. after a connection was
    /// acquired from a pool). Service time is measured from here; when never called it is measured
    /// from the moment the step started executing.</summary>
    void MarkSendStart();

    /// <summary>Counts a request that could not be sent on time because every connection of a
    /// capped pool was busy.</summary>
    void MarkPoolWait();

    /// <summary>Runs a named sub-step whose latency (its own start to end), counts and status codes
    /// are kept separately in the report.</summary>
    ValueTask<StepResult> RunStepAsync(string name, Func<IStepContext, ValueTask<StepResult>> stepFunc);
}
