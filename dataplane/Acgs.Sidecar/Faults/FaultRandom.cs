// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Faults;

/// <summary>
/// The random source of fault injection (DI singleton): <see cref="Random.Shared"/> unless a test
/// registers a seeded one (<c>new FaultRandom(new Random(42))</c>, used from one request at a time).
/// </summary>
internal sealed class FaultRandom
{
    /// <summary>Uses <see cref="Random.Shared"/> (thread-safe).</summary>
    public FaultRandom()
        : this(Random.Shared)
    {
    }

    /// <summary>Uses <paramref name="random"/>.</summary>
    public FaultRandom(Random random) => Random = random;

    /// <summary>The source.</summary>
    public Random Random { get; }
}
