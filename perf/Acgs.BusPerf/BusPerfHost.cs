// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Sidecar.Bus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.BusPerf;

/// <summary>
/// The bus host child process: the sidecar's bus (exactly as the sidecar wires it) on a loopback
/// port, driven over stdin: <c>reset</c> (latency histogram and allocation baseline), <c>stats</c>, <c>quit</c>.
/// </summary>
internal static class BusPerfHost
{
    public static async Task<int> RunAsync(bool allocationTypes, bool sharedTransport)
    {
        using var sampler = allocationTypes ? new AllocationSampler() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddAcgsBus(new BusOptions { Address = "127.0.0.1", Port = 0, HttpPort = -1, LaneCapacity = 16_384, InlineTransport = !sharedTransport });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenBus());
        await using var app = builder.Build();
        await app.StartAsync();
        var stats = app.Services.GetRequiredService<BusLatencyStats>();
        var listeners = app.Services.GetRequiredService<BusListeners>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {listeners.BusPort}"));
        var baseline = GC.GetTotalAllocatedBytes(true);
        var cpuBaseline = Environment.CpuUsage.TotalTime;
        var gcBaseline = (Count: GC.CollectionCount(0), Pause: GC.GetTotalPauseDuration());
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command.Trim())
            {
                case "reset":
                    stats.Reset();
                    sampler?.Clear();
                    baseline = GC.GetTotalAllocatedBytes(true);
                    cpuBaseline = Environment.CpuUsage.TotalTime;
                    gcBaseline = (GC.CollectionCount(0), GC.GetTotalPauseDuration());
                    Console.WriteLine("ok");
                    break;
                case "stats":
                    var allocated = GC.GetTotalAllocatedBytes(true) - baseline;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"alloc={allocated} count={stats.Count} p50={stats.PercentileMicroseconds(50):F1} p99={stats.PercentileMicroseconds(99):F1} p999={stats.PercentileMicroseconds(99.9):F1} max={stats.PercentileMicroseconds(100):F1} gen0={GC.CollectionCount(0)} gcs={GC.CollectionCount(0) - gcBaseline.Count} gcpausems={(GC.GetTotalPauseDuration() - gcBaseline.Pause).TotalMilliseconds:F2} cpuus={(Environment.CpuUsage.TotalTime - cpuBaseline).TotalMicroseconds:F0} types={sampler?.Report() ?? "off"}"));
                    break;
                case "quit":
                    await app.StopAsync();
                    return 0;
                default:
                    Console.WriteLine("unknown");
                    break;
            }
        }

        return 0;
    }
}
