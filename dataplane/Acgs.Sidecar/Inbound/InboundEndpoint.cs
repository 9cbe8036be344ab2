// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.Inbound;

/// <summary>
/// The inbound listener's only endpoint, when routing cannot choose another one: exactly one
/// endpoint may answer on the inbound listener, and it is a YARP route whose match is a bare
/// catch-all path (no hosts, methods, headers or query parameters). Then every inbound request
/// goes to it whatever its method, host and path, so the request pipeline sets it directly and
/// ASP.NET Core's endpoint routing skips matching (no candidate set, no
/// <see cref="ListenerMatcherPolicy"/> pass, no route values: time and allocation saved on every request).
/// When the routing table holds anything else for the inbound listener (path-prefix routes, a
/// second route), <see cref="Current"/> is null and requests are routed normally. Recomputed on
/// every change of the endpoint data sources (config snapshot applied), never per request.
/// </summary>
internal sealed class InboundEndpoint : IDisposable
{
    private readonly ListenerPorts _ports;
    private EndpointDataSource? _source;
    private IDisposable? _subscription;
    private Endpoint? _current;

    /// <summary>Creates the selector; it chooses nothing until <see cref="Watch"/> is called.</summary>
    public InboundEndpoint(ListenerPorts ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        _ports = ports;
    }

    /// <summary>The endpoint every inbound request goes to, or null when routing must decide.</summary>
    public Endpoint? Current => Volatile.Read(ref _current);

    /// <summary>Starts following <paramref name="source"/> (the application's endpoints, all mapped).</summary>
    public void Watch(EndpointDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _subscription = ChangeToken.OnChange(source.GetChangeToken, static self => self.Refresh(), this);
        Refresh();
    }

    /// <summary>
    /// The middleware (placed just before <c>UseRouting</c>): sets <see cref="Current"/> as the
    /// endpoint of inbound requests, so routing skips matching; other requests pass untouched.
    /// </summary>
    public RequestDelegate Middleware(RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return context =>
        {
            if (Volatile.Read(ref _current) is { } endpoint
                && context.GetEndpoint() is null
                && _ports.Classify(context.Connection.LocalPort) == ListenerKind.Inbound)
            {
                context.SetEndpoint(endpoint);
            }

            return next(context);
        };
    }

    /// <summary>The endpoint <paramref name="endpoints"/> leave no choice about on the inbound listener, or null.</summary>
    public static Endpoint? Select(IReadOnlyList<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        Endpoint? only = null;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var listener = endpoint.Metadata.GetMetadata<ListenerMetadata>();
            if (listener is not null && listener.Kind != ListenerKind.Inbound)
            {
                continue; // kept off the inbound listener by ListenerMatcherPolicy
            }

            if (only is not null)
            {
                return null; // two candidates: routing decides
            }

            only = endpoint;
        }

        return only is RouteEndpoint route && IsBareCatchAll(route) ? route : null;
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    private void Refresh() => Volatile.Write(ref _current, _source is null ? null : Select(_source.Endpoints));

    private static bool IsBareCatchAll(RouteEndpoint endpoint)
    {
        return endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Match is { } match
            && match.Hosts is not { Count: > 0 }
            && endpoint.Metadata.GetMetadata<IHostMetadata>() is not { Hosts.Count: > 0 }
            && RouteShapes.HasNoRequestConditions(endpoint, match)
            && RouteShapes.IsBareCatchAll(endpoint.RoutePattern);
    }
}
