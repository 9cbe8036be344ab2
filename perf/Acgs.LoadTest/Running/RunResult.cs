// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.LoadTest.Stats;
using Acgs.LoadTest.Thresholds;

namespace Acgs.LoadTest.Running;

/// <summary>The outcome of a run: stats, threshold verdicts, reasons the run is invalid, exit code.</summary>
public sealed class RunResult
{
    /// <summary>Exit code: all thresholds held on a valid run.</summary>
    public const int ExitPass = 0;

    /// <summary>Exit code: a threshold did not hold.</summary>
    public const int ExitThresholdFailed = 1;

    /// <summary>Exit code: the run is invalid (infrastructure error or generator lag).</summary>
    public const int ExitInvalid = 2;

    /// <summary>Stats of the measured phases (null when the run failed before measuring).</summary>
    public ScenarioStats? Stats { get; init; }

    /// <summary>Threshold verdicts (empty for an invalid run without stats).</summary>
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    /// <summary>Why the run is invalid (empty for a valid run).</summary>
    public IReadOnlyList<string> InvalidReasons { get; init; } = [];

    /// <summary>True when the run is valid.</summary>
    public bool IsValid => InvalidReasons.Count == 0;

    /// <summary>0 pass, 1 a threshold failed, 2 invalid (never a pass).</summary>
    public int ExitCode
    {
        get
        {
            if (!IsValid)
            {
                return ExitInvalid;
            }

            foreach (var t in Thresholds)
            {
                if (!t.Passed)
                {
                    return ExitThresholdFailed;
                }
            }

            return ExitPass;
        }
    }
}
