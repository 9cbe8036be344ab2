// Constitutional Hash: cdd01ef066bc6cf2

using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;

namespace Acgs.Benchmarks;

/// <summary>
/// The benchmark configuration: a short job for 2-core, shared, noisy machines (so <c>./acgs bench</c>
/// finishes in minutes), allocation measured by <see cref="MemoryDiagnoser"/>, and a GitHub-flavoured
/// Markdown report in <c>BenchmarkDotNet.Artifacts/results</c>. A <c>--job</c> argument (e.g.
/// <c>--job short</c> or <c>--job default</c>) replaces the short job.
/// </summary>
internal static class BenchConfig
{
    /// <summary>Warmup 3, 6 iterations, one launch: enough for allocation (exact) and a rough time.</summary>
    public static Job NoisyMachineJob { get; } = Job.Default
        .WithWarmupCount(3)
        .WithIterationCount(6)
        .WithLaunchCount(1)
        .WithId("ShortNoisy");

    public static IConfig Create(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var config = ManualConfig.CreateEmpty()
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddAnalyser([.. DefaultConfig.Instance.GetAnalysers()])
            .AddValidator([.. DefaultConfig.Instance.GetValidators()])
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(40).WithZeroMetricValuesInContent()) // "0 B", not "-"
            .WithArtifactsPath(Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts"))
            // The generated benchmark project is built out of process; on a busy 2-core machine that
            // can take longer than BenchmarkDotNet's default 2 minutes.
            .WithBuildTimeout(TimeSpan.FromMinutes(10));

        return HasJobArgument(args) ? config : config.AddJob(NoisyMachineJob);
    }

    private static bool HasJobArgument(IReadOnlyList<string> args)
    {
        foreach (var arg in args)
        {
            if (arg is "-j" or "--job" || arg.StartsWith("--job=", StringComparison.Ordinal) || arg.StartsWith("--runtimes", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
