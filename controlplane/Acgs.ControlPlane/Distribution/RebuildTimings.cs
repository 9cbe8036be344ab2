// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// Where one <see cref="DistributionHub.RebuildAsync"/> spent its time: loading the store revision, the active
/// policies and the discovered sidecars; compiling; serializing each new snapshot once; queueing the pushes.
/// <paramref name="Compiled"/> services were compiled, <paramref name="Reused"/> kept their snapshot (no input of theirs changed).
/// </summary>
internal readonly record struct RebuildTimings(TimeSpan Load, TimeSpan Compile, TimeSpan Serialize, TimeSpan Queue, int Compiled, int Reused);
