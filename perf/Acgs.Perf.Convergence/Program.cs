// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Convergence;

return await ConvergenceBenchmark.RunAsync(args).ConfigureAwait(false);
