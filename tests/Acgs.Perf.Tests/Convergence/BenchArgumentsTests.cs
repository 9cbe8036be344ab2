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
