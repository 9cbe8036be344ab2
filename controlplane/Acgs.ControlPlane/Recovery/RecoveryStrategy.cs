// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Recovery;

/// <summary>How a recovery task spaces its attempts (see <see cref="RecoveryBackoff"/>).</summary>
internal enum RecoveryStrategy
{
    /// <summary>Attempt k waits initial × multiplier^(k-1), capped.</summary>
    Exponential = 0,

    /// <summary>Attempt k waits initial × k, capped.</summary>
    Linear = 1,

    /// <summary>No wait between attempts.</summary>
    Immediate = 2,

    /// <summary>Every attempt waits for an operator's retry; never fails by itself.</summary>
    Manual = 3,
}
