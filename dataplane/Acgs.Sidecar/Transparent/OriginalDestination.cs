// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Reads a connection's original destination — the address the client dialled before an iptables
/// nat <c>REDIRECT</c> rewrote it to a sidecar listener — with <c>getsockopt(SO_ORIGINAL_DST)</c>:
/// level <c>SOL_IP</c> (0) / optname 80 answering a <c>sockaddr_in</c> for IPv4 connections, level
/// <c>SOL_IPV6</c> (41) / optname 80 (<c>IP6T_SO_ORIGINAL_DST</c>) answering a <c>sockaddr_in6</c>
/// for IPv6 ones. Once per accepted connection; the buffer is on the stack.
/// </summary>
internal static class OriginalDestination
{
    /// <summary><c>SO_ORIGINAL_DST</c> and <c>IP6T_SO_ORIGINAL_DST</c> (linux/netfilter_ipv4.h, netfilter_ipv6/ip6_tables.h).</summary>
    public const int OptionName = 80;

    /// <summary><c>SOL_IP</c>.</summary>
    public const int SolIp = 0;

    /// <summary><c>SOL_IPV6</c>.</summary>
    public const int SolIpv6 = 41;

    /// <summary>Size of <c>struct sockaddr_in</c>.</summary>
    public const int SockaddrInLength = 16;

    /// <summary>Size of <c>struct sockaddr_in6</c>.</summary>
    public const int SockaddrIn6Length = 28;

    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10; // Linux's AF_INET6

    /// <summary>
    /// Parses a Linux <c>sockaddr_in</c> (family in host byte order, port and address in network
    /// byte order) or <c>sockaddr_in6</c> (plus flow info and scope id). False for anything else.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> sockaddr, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (sockaddr.Length < 2)
        {
            return false;
        }

        var family = BitConverter.IsLittleEndian
            ? BinaryPrimitives.ReadUInt16LittleEndian(sockaddr)
            : BinaryPrimitives.ReadUInt16BigEndian(sockaddr);
        if (family == AfInet && sockaddr.Length >= SockaddrInLength)
        {
            var port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
            endPoint = new IPEndPoint(new IPAddress(sockaddr.Slice(4, 4)), port);
            return true;
        }

        if (family == AfInet6 && sockaddr.Length >= SockaddrIn6Length)
        {
            var port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
            var scope = BitConverter.IsLittleEndian
                ? BinaryPrimitives.ReadUInt32LittleEndian(sockaddr[24..])
                : BinaryPrimitives.ReadUInt32BigEndian(sockaddr[24..]);
            endPoint = new IPEndPoint(new IPAddress(sockaddr.Slice(8, 16), scope), port);
            return true;
        }

        return false;
    }

    /// <summary>
    /// The original destination of the accepted <paramref name="socket"/>, or false when the kernel
    /// has none (not Linux, no conntrack entry, conntrack not loaded). Never throws for those: one
    /// <c>getsockopt</c> call, the buffer on the stack. IPv4 connections on a
    /// dual-stack socket are asked at <c>SOL_IP</c> and answered as plain IPv4 endpoints.
    /// </summary>
    public static bool TryRead(Socket socket, out IPEndPoint? endPoint, out SocketError error)
    {
        ArgumentNullException.ThrowIfNull(socket);
        endPoint = null;
        error = SocketError.Success;
        if (!OperatingSystem.IsLinux() || socket.LocalEndPoint is not IPEndPoint local)
        {
            error = SocketError.OperationNotSupported;
            return false;
        }

        var ipv6 = local.AddressFamily == AddressFamily.InterNetworkV6 && !local.Address.IsIPv4MappedToIPv6;
        Span<byte> buffer = stackalloc byte[SockaddrIn6Length];
        var length = ipv6 ? SockaddrIn6Length : SockaddrInLength; // exactly the struct the kernel answers
        buffer = buffer[..length];
        if (OriginalDestinationNative.GetSockOpt(socket.SafeHandle, ipv6 ? SolIpv6 : SolIp, OptionName, ref MemoryMarshal.GetReference(buffer), ref length) != 0)
        {
            error = SocketErrorOf(Marshal.GetLastPInvokeError());
            return false;
        }

        return TryParse(buffer[..Math.Min(length, buffer.Length)], out endPoint);
    }

    /// <summary>The <see cref="SocketError"/> of a Linux errno from <c>getsockopt</c> (the ones that matter here).</summary>
    public static SocketError SocketErrorOf(int errno) => errno switch
    {
        2 => SocketError.SocketError, // ENOENT: no conntrack entry (not redirected)
        92 => SocketError.ProtocolOption, // ENOPROTOOPT: conntrack not loaded, SO_ORIGINAL_DST unknown
        95 => SocketError.OperationNotSupported, // EOPNOTSUPP
        9 or 88 => SocketError.NotSocket, // EBADF, ENOTSOCK
        _ => SocketError.SocketError,
    };

    /// <summary>
    /// True when <paramref name="original"/> differs from <paramref name="local"/>: the connection was
    /// redirected. IPv4-mapped IPv6 addresses compare equal to their IPv4 form.
    /// </summary>
    public static bool IsRedirected(IPEndPoint original, IPEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(local);
        if (original.Port != local.Port)
        {
            return true;
        }

        var a = original.Address.IsIPv4MappedToIPv6 ? original.Address.MapToIPv4() : original.Address;
        var b = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        return !a.Equals(b);
    }
}
