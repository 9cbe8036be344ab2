// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Modes;

internal static partial class GateLines
{
    /// <summary>Below this share of the target the rate line fails on any machine the sidecar's CPU was not
    /// taken from (nginx kept up, the sidecar's threads waited less than <see cref="MaxWaitToRun"/>, the
    /// hypervisor stole less than <see cref="MaxSteal"/>, the generator sent as intended): a shortfall that
    /// large is a capacity the sidecar lacks, not a queue left at a slice's end.</summary>
    public const double RateFloor = 0.90;

    /// <summary>Share of the sidecar's slices' wall time the hypervisor stole from its pinned CPU above
    /// which a rate shortfall is not judged (at 6,000 req/s the sidecar keeps ~90 % of that CPU busy).</summary>
    public const double MaxStealForRate = 0.02;

    /// <summary>Steal share above which even a shortfall below <see cref="RateFloor"/> is not judged.</summary>
    public const double MaxSteal = 0.10;

    /// <summary>
    /// The achieved-rate line. A round's rate is its requests ÷ the time from each slice's start to its last
    /// response, so it also reads the queue left at the end of each 2 s slice: a 20 ms queue there is 1 %
    /// of the rate, and at ~90 % busy the sidecar drains a host stall's backlog slowly (a clean-clone run:
    /// 98.9 % with p90 31 ms while nginx, half as busy, kept 99.96 %). So a rate between
    /// <see cref="RateFloor"/> and 99 % fails only when every calibration says the host was quiet: direct
    /// P99 and generator lag within the quiet bounds, the sidecar's threads' run-queue wait within its
    /// headroom, no hypervisor steal on its CPU, nginx keeping up. Otherwise it is INCONCLUSIVE, never a pass.
    /// </summary>
    private static GateCheck Rate(double achieved, double nginxAchieved, double waitToRun, double steal,
        bool starved, bool contended, bool lagged, bool quiet, string calibration)
    {
        const string Name = "achieved rate >= 99 % of target (median round)";
        var detail = string.Create(Inv, $"sidecar median round {achieved:P2}, nginx {nginxAchieved:P2}; sidecar run-queue wait/run {waitToRun:0.00}, CPU stolen {steal:P1}");
        if (achieved >= MinAchieved)
        {
            return new GateCheck(Name, CheckStatus.Pass, detail);
        }

        var reasons = new List<string>();
        if (starved)
        {
            reasons.Add(string.Create(Inv, $"the machine could not sustain the rate for nginx either (nginx median round {nginxAchieved:P1}): host overloaded"));
        }

        if (waitToRun > MaxWaitToRunForRate)
        {
            reasons.Add(string.Create(Inv, $"the sidecar's threads waited {waitToRun:0.00} s on the run queue per second run, more than its headroom at this rate (bound {MaxWaitToRunForRate})"));
        }

        if (steal > MaxStealForRate)
        {
            reasons.Add(string.Create(Inv, $"the hypervisor stole {steal:P1} of the sidecar's CPU (bound {MaxStealForRate:P0})"));
        }

        if (lagged)
        {
            reasons.Add("the generator lagged (host noise), so the load was not sent as intended");
        }

        if (!quiet)
        {
            reasons.Add("machine too noisy to judge: " + calibration);
        }

        var disturbed = starved || contended || lagged || steal > MaxSteal;
        return reasons.Count == 0 ? new GateCheck(Name, CheckStatus.Fail, detail)
            : achieved < RateFloor && !disturbed
                ? new GateCheck(Name, CheckStatus.Fail, string.Create(Inv, $"below {RateFloor:P0}, which host noise on an uncontended CPU does not explain ({string.Join("; ", reasons)}); ") + detail)
                : new GateCheck(Name, CheckStatus.Inconclusive, string.Join("; ", reasons) + "; " + detail);
    }
}
