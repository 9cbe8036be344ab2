// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Simulations;

/// <summary>Closed model: <see cref="Copies"/> concurrent loops, each starting its next request when
/// the previous one ends. Latency is then service time (a closed loop cannot be corrected).</summary>
public sealed record KeepConstantSimulation : LoadSimulation
{
    /// <summary>Number of concurrent copies.</summary>
    public required int Copies { get; init; }

    /// <inheritdoc />
    public override bool IsOpen => false;

    /// <inheritdoc />
    public override long IntendedCount => 0;

    /// <inheritdoc />
    public override double IntendedOffsetSeconds(long index) => 0;
}
