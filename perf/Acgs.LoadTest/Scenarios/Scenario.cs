// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Simulations;
using Acgs.LoadTest.Thresholds;

namespace Acgs.LoadTest.Scenarios;

/// <summary>A named load scenario in NBomber's shape: one async step per invocation, optional
/// init/clean hooks, a warm-up whose data is discarded, load simulations and thresholds.</summary>
public sealed record Scenario
{
    /// <summary>The scenario's name (reports, file names).</summary>
    public required string Name { get; init; }

    /// <summary>The work of one invocation.</summary>
    public required Func<IStepContext, ValueTask<StepResult>> Step { get; init; }

    /// <summary>Runs once before the warm-up; an exception makes the run invalid (exit code 2).</summary>
    public Func<CancellationToken, Task>? Init { get; init; }

    /// <summary>Runs once after the measured phase, also after failures.</summary>
    public Func<CancellationToken, Task>? Clean { get; init; }

    /// <summary>Warm-up length: the first simulation's shape runs this long and its data is discarded.</summary>
    public TimeSpan WarmUp { get; init; }

    /// <summary>The load, phase after phase.</summary>
    public IReadOnlyList<LoadSimulation> Simulations { get; init; } = [];

    /// <summary>Checks over the final stats; one that does not hold gives exit code 1.</summary>
    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];

    /// <summary>Creates a scenario.</summary>
    public static Scenario Create(string name, Func<IStepContext, ValueTask<StepResult>> step) => new() { Name = name, Step = step };

    /// <summary>Returns a copy with an init hook.</summary>
    public Scenario WithInit(Func<CancellationToken, Task> init) => this with { Init = init };

    /// <summary>Returns a copy with a clean hook.</summary>
    public Scenario WithClean(Func<CancellationToken, Task> clean) => this with { Clean = clean };

    /// <summary>Returns a copy with a warm-up.</summary>
    public Scenario WithWarmUp(TimeSpan duration) => this with { WarmUp = duration };

    /// <summary>Returns a copy with these load simulations.</summary>
    public Scenario WithLoadSimulations(params LoadSimulation[] simulations) => this with { Simulations = simulations };

    /// <summary>Returns a copy with these thresholds.</summary>
    public Scenario WithThresholds(params Threshold[] thresholds) => this with { Thresholds = thresholds };
}
