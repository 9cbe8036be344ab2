// Constitutional Hash: cdd01ef066bc6cf2

using System.Runtime.InteropServices;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// The process's file-descriptor limit (<c>RLIMIT_NOFILE</c>). <see cref="RaiseSoftToHard"/> runs once at start-up
/// (<see cref="SidecarApp"/>): the soft limit goes up to the hard one, which an unprivileged process may always do, so
/// a default <c>ulimit -n 1024</c> does not cap the sidecar while the container or unit allows more.
/// <see cref="ListenerLimits"/> sizes the per-listener connection limits from the resulting soft limit.
/// </summary>
internal static class DescriptorLimit
{
    private const int RlimitNoFile = 7; // Linux, every architecture the sidecar ships for

    /// <summary>The soft limit now in effect; null where it cannot be read (not Linux).</summary>
    public static long? Soft() => TryGet(out var limit) ? Clamp(limit.Current) : null;

    /// <summary>Descriptors open in this process now (<c>/proc/self/fd</c>); 0 where it cannot be read.</summary>
    public static int Open()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.GetFileSystemEntries("/proc/self/fd").Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Raises the soft limit to the hard one; returns (before, after), or null where it cannot be read.</summary>
    public static (long Before, long After)? RaiseSoftToHard()
    {
        if (!TryGet(out var limit))
        {
            return null;
        }

        var before = Clamp(limit.Current);
        if (limit.Current < limit.Maximum)
        {
            var raised = new RLimit { Current = limit.Maximum, Maximum = limit.Maximum };
            _ = SetRLimit(RlimitNoFile, ref raised); // refused (e.g. a seccomp profile): the soft limit stays
        }

        return (before, Soft() ?? before);
    }

    private static bool TryGet(out RLimit limit)
    {
        limit = default;
        return OperatingSystem.IsLinux() && GetRLimit(RlimitNoFile, ref limit) == 0;
    }

    // RLIM_INFINITY is all ones; anything past int range is as good as unlimited for sizing.
    private static long Clamp(ulong value) => value > int.MaxValue ? int.MaxValue : (long)value;

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetRLimit(int resource, ref RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetRLimit(int resource, ref RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
