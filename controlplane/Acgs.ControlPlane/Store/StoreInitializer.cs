// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Health;
using Microsoft.Extensions.Hosting;

namespace Acgs.ControlPlane.Store;

/// <summary>Initializes the store before the server starts taking requests, then marks startup done.</summary>
internal sealed class StoreInitializer(IPolicyStore store, StartupState state) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        state.MarkStarted();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
