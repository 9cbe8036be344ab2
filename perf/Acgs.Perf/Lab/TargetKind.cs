// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Lab;

/// <summary>The paths a request can take to the backend.</summary>
internal enum TargetKind
{
    Direct,
    Nginx,
    Haproxy,
    PlainYarp,
    Sidecar,

    /// <summary>A second sidecar build for same-run A/B comparisons (<c>ACGS_PERF_BASELINE_SIDECAR_BINARY</c>).</summary>
    SidecarBefore,
}
