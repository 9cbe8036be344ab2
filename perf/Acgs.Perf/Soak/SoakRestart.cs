// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Soak;

/// <summary>One control-plane kill and restart: when it was killed (seconds since the load started), seconds until it was ready again and until both sidecars were connected to it.</summary>
internal sealed record SoakRestart(double KilledAtSeconds, double ReadySeconds, double ReconnectedSeconds);
