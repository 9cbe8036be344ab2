// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Outbound;

/// <summary>
/// The outbound listener's shortcut past endpoint routing: a host that exactly one outbound route answers for any path
/// (a route whose match is its hosts and a bare catch-all path: no path prefix, methods, headers or query parameters,
/// and no traffic-split share beside it) maps straight to that route's endpoint, so a request for it skips ASP.NET
/// Core's matcher (its candidate set and the selector policies: the per-request allocation of the Host match). Hosts
/// with a wildcard or a port, and every host more than one outbound endpoint names, are left to routing, which decides
/// as before — so a request ends at the same endpoint either way. Rebuilt on every change of the endpoint data sources
/// (a config snapshot applied), never per request; the lookup takes the Host header as a span (port stripped,
/// case-insensitive) and allocates nothing.
/// </summary>
internal sealed class OutboundEndpoints : IDisposable
{
    private static readonly FrozenDictionary<string, Endpoint> Empty = FrozenDictionary<string, Endpoint>.Empty;
    private readonly ListenerPorts _ports;
    private EndpointDataSource? _source;
    private IDisposable? _subscription;
    private FrozenDictionary<string, Endpoint> _hosts = Empty;

    /// <summary>Creates the table; it holds nothing until <see cref="Watch"/> is called.</summary>
    public OutboundEndpoints(ListenerPorts ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        _ports = ports;
    }

    /// <summary>Hosts that skip routing, for tests and the config dump.</summary>
    public int Count => Volatile.Read(ref _hosts).Count;

    /// <summary>Starts following <paramref name="source"/> (the application's endpoints, all mapped).</summary>
    public void Watch(EndpointDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _subscription = ChangeToken.OnChange(source.GetChangeToken, static self => self.Refresh(), this);
        Refresh();
    }

    /// <summary>
    /// The middleware (just before <c>UseRouting</c>): on the outbound listener, a request whose host is in the table gets
    /// that endpoint, so routing skips matching; every other request passes untouched.
    /// </summary>
    public RequestDelegate Middleware(RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return context =>
        {
            if (context.GetEndpoint() is null
                && _ports.Classify(context.Connection.LocalPort) == ListenerKind.Outbound
                && Find(context.Request.Headers.Host) is { } endpoint)
            {
                context.SetEndpoint(endpoint);
            }

            return next(context);
        };
    }

    /// <summary>The endpoint for the Host header value <paramref name="host"/>, or null when routing must decide.</summary>
    public Endpoint? Find(StringValues host)
    {
        if (host.Count != 1 || host[0] is not { Length: > 0 } value)
        {
            return null;
        }

        var name = value.AsSpan();
        if (name[0] == '[')
        {
            return null; // an IPv6 literal: routing decides
        }

        var colon = name.LastIndexOf(':');
        if (colon >= 0)
        {
            name = name[..colon];
        }

        return Volatile.Read(ref _hosts).GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var endpoint) ? endpoint : null;
    }

    /// <summary>Host → the only outbound endpoint answering it for every path, from <paramref name="endpoints"/>.</summary>
    public static FrozenDictionary<string, Endpoint> Select(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var owners = new Dictionary<string, Endpoint?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            if (endpoint.Metadata.GetMetadata<ListenerMetadata>()?.Kind != ListenerKind.Outbound
                || endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Match.Hosts is not { Count: > 0 } hosts)
            {
                continue; // not an outbound route (the no-route fallback has no hosts)
            }

            var simple = endpoint is RouteEndpoint route && IsHostOnly(route);
            foreach (var host in hosts)
            {
                owners[host] = simple && !owners.ContainsKey(host) && host.IndexOfAny(['*', ':']) < 0 ? endpoint : null;
            }
        }

        var table = new Dictionary<string, Endpoint>(StringComparer.OrdinalIgnoreCase);
        foreach (var (host, owner) in owners)
        {
            if (owner is not null)
            {
                table[host] = owner;
            }
        }

        return table.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    private void Refresh()
    {
        Volatile.Write(ref _hosts, _source is null ? Empty : Select(_source.Endpoints));
    }

    private static bool IsHostOnly(RouteEndpoint endpoint)
    {
        var model = endpoint.Metadata.GetMetadata<RouteModel>();
        return model?.Config.Match is { } match
            && model.Config.Metadata?.ContainsKey(TrafficSplit.TrafficSplitMetadata.Key) != true
            && RouteShapes.HasNoRequestConditions(endpoint, match)
            && RouteShapes.IsBareCatchAll(endpoint.RoutePattern);
    }
}
