// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Perf.Convergence;

/// <summary>This process's resident set and managed heap (after a full collection), and the established loopback connections to a port.</summary>
internal readonly record struct Footprint(long RssBytes, long HeapBytes)
{
    public static Footprint Measure()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        return new Footprint(Rss(), heap);
    }

    /// <summary>Server ends of established TCP connections on <paramref name="port"/> (/proc/net/tcp and tcp6).</summary>
    public static int EstablishedTo(int port)
    {
        var local = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var table in (string[])["/proc/net/tcp", "/proc/net/tcp6"])
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (columns.Length > 3 && columns[1].EndsWith(local, StringComparison.Ordinal) && columns[3] == "01")
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static long Rss()
    {
        if (!File.Exists("/proc/self/status"))
        {
            return Environment.WorkingSet;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Environment.WorkingSet;
    }
}
