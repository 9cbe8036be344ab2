// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Soak;

/// <summary>One reading of the soak's processes: seconds since the load started, RSS (MiB) and open descriptors of each sidecar and of the control plane, idle connections held.</summary>
internal sealed record SoakSample(double Seconds, double RssA, double RssB, int FdsA, int FdsB, double RssControlPlane, int FdsControlPlane, int IdleOpen);
