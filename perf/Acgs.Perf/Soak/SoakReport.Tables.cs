// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;

namespace Acgs.Perf.Soak;

/// <summary>The tables of the soak's markdown report: restarts, load slices, and the RSS and descriptor curve.</summary>
internal sealed partial class SoakReport
{
    private void AppendTables(StringBuilder md)
    {
        md.AppendLine();
        md.AppendLine("## Control-plane restarts");
        md.AppendLine();
        md.AppendLine("| killed at (s) | ready after start (s) | both sidecars connected after start (s) |");
        md.AppendLine("|---:|---:|---:|");
        foreach (var r in Restarts)
        {
            md.AppendLine(Inv($"| {r.KilledAtSeconds:0} | {r.ReadySeconds:0.0} | {r.ReconnectedSeconds:0.0} |"));
        }

        md.AppendLine();
        md.AppendLine("## Load, per 30 s slice");
        md.AppendLine();
        md.AppendLine("| t (s) | requests | failed | statuses | req/s | p50 ms | p99 ms | max ms |");
        md.AppendLine("|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var s in Slices)
        {
            var statuses = string.Join(' ', s.Statuses.OrderBy(kv => kv.Key).Select(kv => Inv($"{kv.Key}×{kv.Value}")));
            md.AppendLine(Inv($"| {s.StartSeconds:0} | {s.Requests} | {s.Failed} | {statuses} | {s.AchievedRate:0.0} | {s.P50Ms:0.00} | {s.P99Ms:0.00} | {s.MaxMs:0.0} |"));
        }

        md.AppendLine();
        md.AppendLine("## RSS and descriptors (every 10 s in report.json; one row a minute here)");
        md.AppendLine();
        md.AppendLine("| t (s) | RSS svc-a MiB | RSS svc-b MiB | fds svc-a | fds svc-b | RSS control plane MiB | fds control plane | idle connections open |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < Samples.Count; i++)
        {
            var s = Samples[i];
            if (i % 6 == 0 || i == Samples.Count - 1)
            {
                md.AppendLine(Inv($"| {s.Seconds:0} | {s.RssA:0.0} | {s.RssB:0.0} | {s.FdsA} | {s.FdsB} | {s.RssControlPlane:0.0} | {s.FdsControlPlane} | {s.IdleOpen} |"));
            }
        }

        md.AppendLine();
        md.AppendLine(Inv($"Descriptors once the runner closed its idle connections: svc-a {FdsBefore.A} → {FdsAfter.A}, svc-b {FdsBefore.B} → {FdsAfter.B} (before the idle connections were opened → {SettleSeconds} s after the load ended and the runner closed its connections; the sidecars' pooled connections idle out after about a minute)."));
    }
}
