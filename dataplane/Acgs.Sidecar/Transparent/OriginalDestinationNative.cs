// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// <c>getsockopt(2)</c> from libc, for <see cref="OriginalDestination.TryRead"/>. Not
/// <c>Socket.GetRawSocketOption</c>: that throws a <see cref="SocketException"/> when the kernel has no
/// conntrack entry for the connection (<c>ENOENT</c>) — on a host without nat rules, every accepted
/// connection — and an exception per connection costs tens of microseconds and several allocations.
/// </summary>
internal static class OriginalDestinationNative
{
    /// <summary>Calls <c>getsockopt(socket, level, name, value, &amp;length)</c>; 0 on success, else -1 with errno set.</summary>
    [DllImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int GetSockOpt(SafeSocketHandle socket, int level, int name, ref byte value, ref int length);
}
