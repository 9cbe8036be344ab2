// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Modes;

/// <summary>wrk (one thread, closed loop) as a cross-check of the harness's closed-model throughput.</summary>
internal static class WrkCrossCheck
{
    private static readonly string[] Locations = ["/usr/bin/wrk", "/usr/local/bin/wrk"];

    public static async Task<double?> RequestsPerSecondAsync(Target target, int connections, TimeSpan duration, CancellationToken ct)
    {
        var wrk = Array.Find(Locations, File.Exists);
        if (wrk is null)
        {
            return null;
        }

        var psi = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-t1");
        psi.ArgumentList.Add("-c" + connections.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("-d" + ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s");

        if (target.Kind == TargetKind.Sidecar)
        {
            psi.ArgumentList.Add("-H");
            psi.ArgumentList.Add($"{PerfLab.HashHeader}: {PerfLab.Hash}");
        }

        psi.ArgumentList.Add(target.Uri.ToString());
        using var p = Process.Start(psi)!;
        try
        {
            var output = await p.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await p.WaitForExitAsync(ct).ConfigureAwait(false);
            foreach (var line in output.Split('\n'))
            {
                var t = line.Trim();
                if (t.StartsWith("Requests/sec:", StringComparison.Ordinal)
                    && double.TryParse(t["Requests/sec:".Length..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var rps))
                {
                    return rps;
                }
            }

            return null;
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
        }
    }
}
