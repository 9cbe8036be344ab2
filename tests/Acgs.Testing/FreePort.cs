// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Testing;

/// <summary>Free TCP ports on the loopback interface, for a child process or a server that binds them later.</summary>
public static class FreePort
{
    /// <summary>
    /// A port that bound on 127.0.0.1 just now, outside the kernel's ephemeral range (so no outgoing connection or
    /// port-0 listener takes it before the caller binds it), never handed out before by this process and reserved
    /// against other processes using this class until this one exits (<see cref="PortReservations"/>).
    /// </summary>
    public static int Get() => PortReservations.Default.Take();
}
