// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.BusPerf;

return args.Length > 0 && args[0] == "host"
    ? await BusPerfHost.RunAsync(args.Contains("--alloc-types"), args.Contains("--shared-transport")).ConfigureAwait(false)
    : await BusPerfRunner.RunAsync(args).ConfigureAwait(false);
