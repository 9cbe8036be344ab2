// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Acgs.Sidecar.Bus;

/// <summary>Puts the bus HTTP API in front of the pipeline for requests on the bus HTTP port only.</summary>
internal sealed class BusHttpStartupFilter(BusListeners listeners, BusHttpApi api) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.MapWhen(context => context.IsBusHttp(listeners), branch => branch.Run(api.HandleAsync));
        next(app);
    };
}
