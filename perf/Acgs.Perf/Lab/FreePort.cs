// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Testing;

namespace Acgs.Perf.Lab;

/// <summary>Free loopback TCP ports for the targets the lab starts, each handed out once.</summary>
internal static class FreePort
{
    /// <summary>
    /// A port that bound on 127.0.0.1 just now, outside the kernel's ephemeral range and reserved against this and other
    /// processes (<see cref="PortReservations"/>, linked from tests/Acgs.Testing). The targets start in parallel, and a
    /// port probed from the ephemeral range could be taken again before the target it went to had bound it (seen: nginx
    /// and the sidecar's bus HTTP port got the same port, and the sidecar failed to start).
    /// </summary>
    public static int Next() => PortReservations.Default.Take();
}
