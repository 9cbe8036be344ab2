// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Hosting;

var app = ControlPlaneApplication.Build(args);
await app.RunAsync().ConfigureAwait(false);
