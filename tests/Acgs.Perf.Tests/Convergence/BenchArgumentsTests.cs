// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Perf.Convergence;

namespace Acgs.Perf.Tests.Convergence;

public sealed class BenchArgumentsTests
{
    [Fact]
    public void Parse_SeveralBadOptions_OneLinePerProblem()
    {
        BenchArguments.Parse(["--watchers", "0", "--bogus", "stray", "--replicas", "1,x", "--full-work", "some", "--json"], out var problems);

        Assert.Equal(
            [
                "--watchers must be a whole number of at least 1, got '0'",
                "unknown option --bogus",
                "unexpected argument 'stray'",
                "--replicas must be a comma-separated list of whole numbers of at least 1, got '1,x'",
                "--full-work must be 'all' or a whole number of at least 0, got 'some'",
                "--json needs a value",
            ],
            problems);
    }

    [Fact]
    public void Parse_CurveWithReplicasAndStorm_NoProblemAndTypedValues()
    {
        var parsed = BenchArguments.Parse(["--curve", "100,1000,5000,10000", "--replicas", "1,2", "--storm", "1000", "--activations", "5"], out var problems);

        Assert.Empty(problems);
        Assert.Equal([100, 1000, 5000, 10000], parsed.List("--curve"));
        Assert.Equal([1, 2], parsed.Replicas);
        Assert.Equal(1000, parsed.Int("--storm", 0));
        Assert.Equal(5, parsed.Int("--activations", 30));
        Assert.Equal(10, parsed.Int("--warmup", 10));
    }

    [Fact]
    public void Parse_CombinationsThatCannotRun_Refused()
    {
        BenchArguments.Parse(["--replicas", "1,2", "--watchers", "200"], out var severalCounts);
        BenchArguments.Parse(["--storm", "1000", "--replicas", "2"], out var stormOnTwo);
        BenchArguments.Parse(["--replicas", "2", "--ack-connections", "10"], out var ackPool);
        BenchArguments.Parse(["--replicas", "9"], out var tooMany);

        Assert.Equal(["--replicas names several counts, one point runs one (use --curve for several)"], severalCounts);
        Assert.Equal(["--storm runs on one replica (leave out --replicas)"], stormOnTwo);
        Assert.Equal(["--ack-connections applies to the in-process mode only (watcher processes hold one ACK pool per replica)"], ackPool);
        Assert.Equal(["--replicas counts above 8 are not supported here (got 9)"], tooMany);
    }

    [Fact]
    public void Parse_Calls_BoundedByTheServicesOfEveryPoint()
    {
        var parsed = BenchArguments.Parse(["--replicas", "1", "--services", "50", "--calls", "5"], out var fine);
        BenchArguments.Parse(["--calls", "0"], out var none);
        BenchArguments.Parse(["--services", "5", "--calls", "5"], out var tooMany);
        BenchArguments.Parse(["--calls", "10"], out var defaultServices);
        BenchArguments.Parse(["--curve", "100,1000", "--calls", "10"], out var curve);
        BenchArguments.Parse(["--storm", "1000", "--calls", "3"], out var storm);
        BenchArguments.Parse(["--calls", "-1"], out var negative);

        Assert.Empty(fine);
        Assert.Equal(5, parsed.Int("--calls", 0));
        Assert.Empty(none);
        Assert.Equal(["--calls must be below --services (each service calls that many others), got 5 with 5 services"], tooMany);
        Assert.Equal(["--calls must be below --services (each service calls that many others), got 10 with 10 services"], defaultServices);
        Assert.Equal(["--calls must be below 10 with --curve (a point has at least 10 services), got 10"], curve);
        Assert.Equal(["--calls applies to convergence points, not to --storm"], storm);
        Assert.Equal(["--calls must be a whole number of at least 0, got '-1'"], negative);
    }

    [Fact]
    public void Parse_CpuLists_CheckedAgainstTheCpusThisProcessMayUse()
    {
        var allowed = CpuList.Allowed();
        var first = allowed[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var fine = BenchArguments.Parse(["--replicas", "2", "--replica-cpus", first, "--watcher-cpus", first], out var noProblems);
        BenchArguments.Parse(["--replicas", "2", "--replica-cpus", "4000-4001"], out var outside);
        BenchArguments.Parse(["--replicas", "2", "--watcher-cpus", "1-"], out var malformed);
        BenchArguments.Parse(["--watchers", "10", "--replica-cpus", first], out var inProcess);
        BenchArguments.Parse(["--curve", "100", "--replicas", "1,2", "--watcher-cpus", first], out var curve);

        Assert.Equal(CpuList.Taskset() is null ? ["--replica-cpus and --watcher-cpus need taskset (util-linux), which was not found"] : [], noProblems);
        Assert.Equal([allowed[0]], CpuPinning.From(fine).Replicas);
        Assert.Equal([allowed[0]], CpuPinning.From(fine).Watchers);
        Assert.Null(CpuPinning.From(BenchArguments.Parse(["--replicas", "2"], out _)).Replicas);
        Assert.Equal([$"--replica-cpus names CPU 4000-4001, this process may run on {CpuList.Format(allowed)} only"], outside);
        Assert.Equal(["--watcher-cpus must be a CPU list such as 0-1 or 0,2, got '1-'"], malformed);
        Assert.Equal(["--replica-cpus applies to the multi-process mode (--replicas or --storm): the in-process mode is one process"], inProcess);
        Assert.Empty(curve);
    }

    [Fact]
    public void EgressCalls_Ring_TheNextKServicesWrappingAround()
    {
        Assert.Equal(["svc-1", "svc-2", "svc-3"], EgressPolicies.Calls(0, 10, 3).Select(n => (string)n!));
        Assert.Equal(["svc-9", "svc-0", "svc-1"], EgressPolicies.Calls(8, 10, 3).Select(n => (string)n!));
        Assert.Empty(EgressPolicies.Calls(4, 10, 0));
    }

    [Fact]
    public async Task Main_BadArguments_Exit2WithOneLinePerProblemAndNoStackTrace()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])[typeof(BenchArguments).Assembly.Location, "--watchers", "-3", "--replicas", "2", "--frobnicate"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Equal(["--watchers must be a whole number of at least 1, got '-3'", "unknown option --frobnicate"], errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(output);
    }
}
