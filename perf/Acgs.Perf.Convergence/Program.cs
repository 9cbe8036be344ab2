// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Convergence;

return Array.IndexOf(args, "--curve") is var at && at >= 0 && at + 1 < args.Length
    ? await CurveRunner.RunAsync(args).ConfigureAwait(false)
    : await ConvergenceBenchmark.RunAsync(args).ConfigureAwait(false);
