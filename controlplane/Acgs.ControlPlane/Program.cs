// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Hosting;

return await ControlPlaneApplication.RunAsync(args, Console.Error).ConfigureAwait(false);
