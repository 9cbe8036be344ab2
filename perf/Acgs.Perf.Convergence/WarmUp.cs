// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Convergence;

/// <summary>
/// The convergence benchmarks' warm-up rule: at least <c>--warmup</c> rounds, then more until the JIT has settled —
/// <see cref="SettledRounds"/> rounds in a row in which every process measured (control plane and simulated sidecars)
/// spent under <see cref="SettledJitMs"/> ms JIT-compiling together — or <c>--warmup-max</c> rounds (at most
/// <c>--warmup</c>: exactly <c>--warmup</c> rounds). The first rounds after a start measure the tiered JIT of both sides,
/// not convergence.
/// </summary>
internal static class WarmUp
{
    /// <summary>A round JIT-compiled for less than this (every process together) counts as settled.</summary>
    internal const double SettledJitMs = 5;

    /// <summary>Settled rounds in a row that end the warm-up.</summary>
    internal const int SettledRounds = 3;

    /// <summary>The default of <c>--warmup-max</c>.</summary>
    internal const int DefaultMost = 60;

    /// <summary>
    /// True when the warm-up is over after <paramref name="rounds"/> warm-up rounds: at least <paramref name="least"/>, and
    /// either <paramref name="most"/> reached or the last <see cref="SettledRounds"/> rounds settled (<paramref name="settled"/>
    /// in a row, from <see cref="Settled"/>).
    /// </summary>
    internal static bool Done(int rounds, int least, int most, int settled) =>
        rounds >= least && (rounds >= most || settled >= SettledRounds);

    /// <summary>Settled rounds in a row after a round that JIT-compiled for <paramref name="jitMs"/> (every process together).</summary>
    internal static int Settled(int before, double jitMs) => jitMs < SettledJitMs ? before + 1 : 0;
}
