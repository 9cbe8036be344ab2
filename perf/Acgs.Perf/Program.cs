// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf;

return await PerfProgram.RunAsync(args).ConfigureAwait(false);
