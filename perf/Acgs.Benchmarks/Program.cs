// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Benchmarks;
using BenchmarkDotNet.Running;

// ./acgs bench  →  dotnet run -c Release --project perf/Acgs.Benchmarks -- --filter=*
// Any BenchmarkDotNet argument works (e.g. --job short, --filter *Hash*).
BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args, BenchConfig.Create(args));
