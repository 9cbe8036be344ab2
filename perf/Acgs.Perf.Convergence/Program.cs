// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Convergence;
using Acgs.Perf.Convergence.Multi;

var arguments = BenchArguments.Parse(args, out var problems);
if (problems.Count > 0)
{
    foreach (var problem in problems)
    {
        Console.Error.WriteLine(problem);
    }

    return 2;
}

// Under ACGS_PERF_BUILT=1 nothing was built for this run: a control-plane build older than its sources is refused (ControlPlaneBuild.cs).
if (ControlPlaneBuild.Refusal(arguments, CurveRunner.RepositoryRoot(), AppContext.BaseDirectory, Environment.GetEnvironmentVariable("ACGS_PERF_BUILT") == "1") is { } refusal)
{
    Console.Error.WriteLine(refusal);
    return 2;
}

return arguments switch
{
    _ when arguments.Has("--watcher-process") => await WatcherProcess.RunAsync(arguments).ConfigureAwait(false),
    _ when arguments.Has("--curve") => await CurveRunner.RunAsync(arguments).ConfigureAwait(false),
    _ when arguments.Has("--storm") => await StormBenchmark.RunAsync(arguments).ConfigureAwait(false),
    _ when arguments.MultiProcess => await MultiBenchmark.RunAsync(arguments).ConfigureAwait(false),
    _ => await ConvergenceBenchmark.RunAsync(args).ConfigureAwait(false),
};
