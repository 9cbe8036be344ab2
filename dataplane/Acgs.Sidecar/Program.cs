// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;

RuntimeDefaults.Apply(); // before anything opens a socket
return await SidecarApp.RunAsync(args).ConfigureAwait(false);
