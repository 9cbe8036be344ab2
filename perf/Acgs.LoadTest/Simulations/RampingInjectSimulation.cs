// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Simulations;

/// <summary>Open model whose rate moves linearly from <see cref="FromRate"/> to <see cref="ToRate"/>.</summary>
public sealed record RampingInjectSimulation : LoadSimulation
{
    /// <summary>Rate at the start of the phase (requests/s).</summary>
    public required double FromRate { get; init; }

    /// <summary>Rate at the end of the phase (requests/s).</summary>
    public required double ToRate { get; init; }

    /// <inheritdoc />
    public override bool IsOpen => true;

    /// <inheritdoc />
    public override long IntendedCount => (long)Math.Round((FromRate + ToRate) / 2 * During.TotalSeconds);

    /// <inheritdoc />
    public override double IntendedOffsetSeconds(long index)
    {
        // Cumulative arrivals N(t) = r0 t + (r1 - r0) t^2 / (2 D); solve N(t) = index for t.
        double d = During.TotalSeconds, a = (ToRate - FromRate) / (2 * d), b = FromRate;
        if (Math.Abs(a) < 1e-12)
        {
            return index / b;
        }

        return (-b + Math.Sqrt((b * b) + (4 * a * index))) / (2 * a);
    }
}
