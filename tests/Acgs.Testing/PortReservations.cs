// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Acgs.Testing;

/// <summary>
/// Loopback TCP ports handed to a child process (sidecar, control plane, redis, nginx) that binds them later. The one
/// implementation behind <c>FreePort.Get()</c> (tests) and the perf runners' free ports, which link this file.
/// <para>
/// Binding port 0 and closing the socket is not enough: port 0 comes from the kernel's ephemeral range, which every
/// outgoing connection (an <see cref="HttpClient"/>) and every other port-0 listener draws from, so between the probe and
/// the child's bind someone else can take the port (seen: <c>acgs-sidecar: fatal: SocketException: Address already in
/// use</c>). So a port here is taken from below the ephemeral range (<see cref="RangeFor"/>), from a random start, is
/// never handed out twice by this process, is reserved against other processes by an exclusive lock on
/// <c>&lt;temp&gt;/acgs-ports-&lt;user&gt;/&lt;port&gt;.lock</c> held open until this process exits (the kernel drops the
/// lock of a process that died, so a stale file does not keep its port), and is returned only after it bound on
/// 127.0.0.1 (and on ::1 where there is one).
/// </para>
/// </summary>
internal sealed class PortReservations
{
    /// <summary>The lowest port handed out when the ephemeral range leaves room below it.</summary>
    public const int PreferredLow = 20000;

    /// <summary>The fewest ports a window beside the ephemeral range must hold to be used.</summary>
    public const int MinimumWindow = 1000;

    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    private static readonly Lazy<PortReservations> Shared = new(() =>
    {
        var (low, high) = RangeFor(ReadEphemeralRange());
        return new PortReservations(low, high, DefaultLockDirectory());
    });

    private readonly Lock _gate = new();
    private readonly HashSet<int> _handedOut = [];
    private readonly List<FileStream> _locks = []; // held (never disposed) so the locks last as long as the process
    private readonly string? _lockDirectory;
    private int _next;

    /// <summary>A pool over ports <paramref name="low"/>..<paramref name="high"/>, reserved by lock files in <paramref name="lockDirectory"/> (none: only within this instance).</summary>
    public PortReservations(int low, int high, string? lockDirectory)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(low, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(high, IPEndPoint.MaxPort);
        ArgumentOutOfRangeException.ThrowIfLessThan(high, low);
        Low = low;
        High = high;
        _lockDirectory = lockDirectory is null ? null : TryCreate(lockDirectory);
        _next = RandomNumberGenerator.GetInt32(high - low + 1);
    }

    /// <summary>The process-wide pool: below the kernel's ephemeral range, reserved across this user's processes.</summary>
    public static PortReservations Default => Shared.Value;

    /// <summary>The lowest port of the pool.</summary>
    public int Low { get; }

    /// <summary>The highest port of the pool.</summary>
    public int High { get; }

    /// <summary>The directory holding the lock files, or null when other processes cannot be excluded (it could not be created).</summary>
    public string? LockDirectory => _lockDirectory;

    /// <summary>The lock file of <paramref name="port"/> in <paramref name="lockDirectory"/>.</summary>
    public static string LockPath(string lockDirectory, int port) =>
        Path.Combine(lockDirectory, port.ToString(CultureInfo.InvariantCulture) + ".lock");

    /// <summary>
    /// The window to hand ports from, given the text of <c>ip_local_port_range</c> (null when absent):
    /// <see cref="PreferredLow"/> up to just below the ephemeral range; else the ports above it; else, when the
    /// ephemeral range leaves neither, the unprivileged ports (the lock and the bind check still apply).
    /// Absent or unreadable: below the Linux default (32768) and the IANA one (49152).
    /// </summary>
    public static (int Low, int High) RangeFor(string? ephemeralRange)
    {
        var parts = ephemeralRange?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            || low < 1 || high > IPEndPoint.MaxPort || high < low)
        {
            return (PreferredLow, 32767);
        }

        if (low - PreferredLow >= MinimumWindow)
        {
            return (PreferredLow, low - 1);
        }

        if (low - 1024 >= MinimumWindow)
        {
            return (1024, low - 1);
        }

        if (IPEndPoint.MaxPort - high >= MinimumWindow)
        {
            return (high + 1, IPEndPoint.MaxPort);
        }

        return (1024, IPEndPoint.MaxPort);
    }

    /// <summary>A port no caller of this pool (in this or another process) was handed, that bound on loopback just now.</summary>
    /// <exception cref="InvalidOperationException">Every port of the pool is taken.</exception>
    public int Take() => TryTake(out var port)
        ? port
        : throw new InvalidOperationException($"no free loopback port in {Low}..{High} (all bound, handed out, or locked in {_lockDirectory ?? "<no lock directory>"})");

    /// <summary>Like <see cref="Take"/>; false when every port of the pool is taken.</summary>
    public bool TryTake(out int port)
    {
        var size = High - Low + 1;
        lock (_gate)
        {
            for (var tried = 0; tried < size; tried++)
            {
                var candidate = Low + _next;
                _next = (_next + 1) % size;
                if (_handedOut.Contains(candidate))
                {
                    continue;
                }

                var reservation = TryLock(candidate);
                if (reservation is null)
                {
                    continue;
                }

                if (!Binds(candidate))
                {
                    reservation.Value.Release();
                    continue;
                }

                _handedOut.Add(candidate);
                if (reservation.Value.File is { } file)
                {
                    _locks.Add(file);
                }

                port = candidate;
                return true;
            }
        }

        port = 0;
        return false;
    }

    private static string? ReadEphemeralRange()
    {
        try
        {
            return File.ReadAllText(EphemeralRangeFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string DefaultLockDirectory()
    {
        var user = string.Concat(Environment.UserName.Where(char.IsAsciiLetterOrDigit));
        return Path.Combine(Path.GetTempPath(), "acgs-ports-" + (user.Length == 0 ? "user" : user));
    }

    private static string? TryCreate(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return directory;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The port's lock (a held file; no file when there is no lock directory), or null when another holder has it.</summary>
    private Reservation? TryLock(int port)
    {
        if (_lockDirectory is null)
        {
            return new Reservation(null);
        }

        try
        {
            // FileShare.None takes an exclusive flock on Unix: it fails while any other open file (this process's or
            // another's) holds it, and the kernel releases it when the holder exits. The file itself is never deleted:
            // deleting it while another process has it open would let two holders lock two different files.
            return new Reservation(new FileStream(LockPath(_lockDirectory, port), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool Binds(int port)
    {
        if (!Binds(IPAddress.Loopback, port))
        {
            return false;
        }

        // A listener on [::]:port (dual stack) already fails the check above; one on [::1] only does not.
        return !Socket.OSSupportsIPv6 || Binds(IPAddress.IPv6Loopback, port, unavailableIsFree: true);
    }

    private static bool Binds(IPAddress address, int port, bool unavailableIsFree = false)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException ex) when (unavailableIsFree && ex.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
        {
            return true; // no ::1 on this host: nothing can listen there
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private readonly record struct Reservation(FileStream? File)
    {
        public void Release() => File?.Dispose();
    }
}
