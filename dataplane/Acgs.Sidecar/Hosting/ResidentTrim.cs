// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Runtime.InteropServices;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Gives back, once the sidecar has started, the memory only start-up needed (docs/performance.md, "Cost as shipped"):
/// <list type="number">
/// <item>one blocking, compacting, aggressive collection: the start-up garbage (configuration, the service container,
/// the route tables' builders) is collected and the GC decommits the regions it freed;</item>
/// <item><c>malloc_trim</c> (glibc): the native heap returns its free pages;</item>
/// <item>the pages of read-only, private file mappings (the executable's code and read-only data, the shared
/// libraries) leave this process's resident set (<c>madvise(MADV_DONTNEED)</c>). Start-up reads much of the
/// executable once (Native AOT reads its whole dehydrated data block to build the runtime's type data); the pages
/// stay in the kernel's page cache, and a page used again is mapped back on first touch (a minor fault, no I/O), so
/// afterwards only the pages the running sidecar uses are resident. A mapping with any anonymous page (relocated
/// copy-on-write data) or one that is writable or shared is left alone: dropping its pages would discard or not free
/// them.</item>
/// </list>
/// On by default; <c>ACGS_TRIM_AFTER_START=false</c> turns it off (GET /runtime shows what it did). The process entry
/// registers it (<see cref="SidecarHost.TrimAfterStart"/>); a test hosting the sidecar in its own process does not.
/// </summary>
internal static class ResidentTrim
{
    /// <summary>The switch: <c>false</c> or <c>0</c> turns the trim off.</summary>
    public const string Variable = "ACGS_TRIM_AFTER_START";

    private const int MadvDontNeed = 4; // Linux, every architecture the sidecar ships for

    /// <summary>What the trim did: null until it ran (or when it is off).</summary>
    public static TrimResult? Last { get; private set; }

    /// <summary>True unless <see cref="Variable"/> is <c>false</c> or <c>0</c>.</summary>
    public static bool Enabled(string? value) =>
        !(string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) || value == "0");

    /// <summary>Runs the trim when it is enabled and the platform has <c>/proc</c> (Linux); returns what it did.</summary>
    public static TrimResult? RunIfEnabled()
    {
        if (!Enabled(Environment.GetEnvironmentVariable(Variable)) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var nativeTrimmed = TryMallocTrim();
        List<Mapping> candidates;
        try
        {
            candidates = Candidates(File.ReadLines("/proc/self/smaps"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            candidates = []; // no /proc (a restricted sandbox): nothing dropped
        }

        long dropped = 0;
        var mappings = 0;
        foreach (var m in candidates)
        {
            if (MAdvise((nint)m.Start, (nuint)(m.End - m.Start), MadvDontNeed) == 0)
            {
                dropped += m.ResidentBytes;
                mappings++;
            }
        }

        Last = new TrimResult(dropped, mappings, nativeTrimmed);
        return Last;
    }

    /// <summary>The mappings of a <c>/proc/PID/smaps</c> text whose pages may be dropped: backed by a file, private,
    /// not writable, no anonymous page, some pages resident.</summary>
    internal static List<Mapping> Candidates(IEnumerable<string> smaps)
    {
        var result = new List<Mapping>();
        Mapping? current = null;
        var eligible = false;
        long rss = 0;
        long anonymous = -1;
        foreach (var line in smaps)
        {
            if (TryHeader(line, out var header, out var ok))
            {
                Flush();
                current = header;
                eligible = ok;
                rss = 0;
                anonymous = -1;
                continue;
            }

            if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
        }

        Flush();
        return result;

        void Flush()
        {
            // Anonymous must have been read and be 0: a mapping with copy-on-write pages keeps them.
            if (current is { } m && eligible && rss > 0 && anonymous == 0)
            {
                result.Add(m with { ResidentBytes = rss * 1024 });
            }
        }
    }

    // "start-end perms offset dev inode [path]"; eligible: "r?-p" with an absolute path that is a file (not memfd).
    private static bool TryHeader(string line, out Mapping mapping, out bool eligible)
    {
        mapping = default;
        eligible = false;
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (dash <= 0 || space <= dash || space + 5 > line.Length
            || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }

        mapping = new Mapping(start, end, 0);
        var perms = line.AsSpan(space + 1, 4);
        var slash = line.IndexOf(" /", space, StringComparison.Ordinal);
        eligible = perms[0] == 'r' && perms[1] == '-' && perms[3] == 'p'
            && slash > 0
            && !line.AsSpan(slash + 1).StartsWith("/memfd:", StringComparison.Ordinal)
            && !line.EndsWith("(deleted)", StringComparison.Ordinal);
        return true;
    }

    private static long Kilobytes(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var value = line.AsSpan(colon + 1).Trim();
        var unit = value.IndexOf(' ');
        return long.TryParse(unit < 0 ? value : value[..unit], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb : 0;
    }

    private static bool TryMallocTrim()
    {
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no malloc_trim)
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MAdvise(nint address, nuint length, int advice);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);

    /// <summary>One mapping of <c>/proc/self/smaps</c>.</summary>
    internal readonly record struct Mapping(ulong Start, ulong End, long ResidentBytes);
}

/// <summary>What <see cref="ResidentTrim"/> did.</summary>
/// <param name="FileBytesDropped">Resident bytes of read-only file mappings dropped from the resident set.</param>
/// <param name="Mappings">How many mappings they were in.</param>
/// <param name="NativeHeapTrimmed">True when <c>malloc_trim</c> returned memory to the system.</param>
internal sealed record TrimResult(long FileBytesDropped, int Mappings, bool NativeHeapTrimmed);
