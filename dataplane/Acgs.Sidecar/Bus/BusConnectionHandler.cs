// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Connections;

namespace Acgs.Sidecar.Bus;

/// <summary>Kestrel connection handler of the bus port: one <see cref="BusSession"/> per connection.</summary>
internal sealed class BusConnectionHandler(BusRouter router) : ConnectionHandler
{
    /// <inheritdoc />
    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return new BusSession(router, connection).RunAsync();
    }
}
