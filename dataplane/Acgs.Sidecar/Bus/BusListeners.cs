// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Acgs.Sidecar.Bus;

/// <summary>The bus's Kestrel listeners and the ports they bound (ports configured as 0 are read back after binding).</summary>
public sealed class BusListeners
{
    private ListenOptions? _bus;
    private ListenOptions? _http;

    /// <summary>The bound framed-TCP port (0 before binding).</summary>
    public int BusPort => (_bus?.EndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>The bound HTTP API port (0 before binding or when disabled).</summary>
    public int HttpPort => (_http?.EndPoint as IPEndPoint)?.Port ?? 0;

    internal void SetBus(ListenOptions options) => _bus = options;

    internal void SetHttp(ListenOptions options) => _http = options;
}
