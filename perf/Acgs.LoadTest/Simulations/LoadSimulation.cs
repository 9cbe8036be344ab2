// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Simulations;

/// <summary>One phase of load. Open models (<see cref="InjectSimulation"/>,
/// <see cref="RampingInjectSimulation"/>) start requests on a schedule whatever the system does;
/// the closed model (<see cref="KeepConstantSimulation"/>) keeps a number of copies busy.</summary>
public abstract record LoadSimulation
{
    /// <summary>How long the phase lasts.</summary>
    public required TimeSpan During { get; init; }

    /// <summary>True for the open (arrival-rate) models.</summary>
    public abstract bool IsOpen { get; }

    /// <summary>Number of requests the open model intends to start in this phase (0 for closed).</summary>
    public abstract long IntendedCount { get; }

    /// <summary>Seconds from the phase start at which the open model intends request <paramref name="index"/>.</summary>
    public abstract double IntendedOffsetSeconds(long index);

    /// <summary>Constant arrival rate, uniformly spaced.</summary>
    public static InjectSimulation Inject(double ratePerSecond, TimeSpan during) => new() { Rate = ratePerSecond, During = during };

    /// <summary>Arrival rate moving linearly from one rate to another.</summary>
    public static RampingInjectSimulation RampingInject(double fromRate, double toRate, TimeSpan during) =>
        new() { FromRate = fromRate, ToRate = toRate, During = during };

    /// <summary>Closed model: a fixed number of copies each running the step back to back.</summary>
    public static KeepConstantSimulation KeepConstant(int copies, TimeSpan during) => new() { Copies = copies, During = during };
}
