// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Simulations;

/// <summary>Open model: <see cref="Rate"/> requests per second, uniformly spaced.</summary>
public sealed record InjectSimulation : LoadSimulation
{
    /// <summary>Requests per second.</summary>
    public required double Rate { get; init; }

    /// <inheritdoc />
    public override bool IsOpen => true;

    /// <inheritdoc />
    public override long IntendedCount => (long)Math.Round(Rate * During.TotalSeconds);

    /// <inheritdoc />
    public override double IntendedOffsetSeconds(long index) => index / Rate;
}
