// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.DemoApp;

return await DemoApp.RunAsync(args).ConfigureAwait(false);
