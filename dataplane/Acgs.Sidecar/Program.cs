// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;

return await SidecarApp.RunAsync(args).ConfigureAwait(false);
