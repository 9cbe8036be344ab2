// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.Metering;
using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Meters every inbound request (docs/metering.md) when its response completes — the refused ones (403, 429) too: the
/// caller (service name of its mTLS identity, else its SPIFFE ID, else <c>unauthenticated</c>), the first path segment,
/// the tenant (<c>x-acgs-tenant</c>), the status class, declared request and response body bytes and the duration
/// since the request entered the sidecar, into the <see cref="UsageRecorder"/>. A completion callback bound once (no
/// async frame, no allocation); the recording cannot fail the request, which is already answered.
/// </summary>
internal sealed class MeteringMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly UsageRecorder _recorder;
    private readonly bool _enabled;
    private readonly Func<object, Task> _onCompleted;
    private readonly int _unauthenticated;
    private readonly int _noTenant;
    private readonly int _root;

    public MeteringMiddleware(RequestDelegate next, ListenerPorts ports, UsageRecorder recorder, MeteringOptions options)
    {
        _next = next;
        _ports = ports;
        _recorder = recorder;
        _enabled = options.Enabled;
        _onCompleted = Complete;
        _unauthenticated = recorder.Names.IdOf(PeerIdentityMiddleware.Unauthenticated);
        _noTenant = recorder.Names.IdOf(MeteringKinds.NoTenant);
        _root = recorder.Names.IdOf("/");
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_enabled && _ports.Classify(context.Connection.LocalPort) == ListenerKind.Inbound)
        {
            context.Response.OnCompleted(_onCompleted, context);
        }

        return _next(context);
    }

    /// <summary>The response's completion callback: the duration since the request entered the sidecar, then <see cref="Record"/>.</summary>
    internal Task Complete(object state)
    {
        var context = (HttpContext)state;
        var start = context.Features.Get<RequestTiming>()?.Start ?? 0;
        var duration = start == 0 ? 0 : Stopwatch.GetTimestamp() - start;
        Record(context, duration);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records one answered request of <paramref name="context"/> that took <paramref name="durationTicks"/> (Stopwatch
    /// ticks). Each value is read once, where the server already holds it: the caller's source id is resolved on the
    /// connection's first request and kept on its <see cref="PeerIdentityFeature"/>, which also keeps the ids of the
    /// connection's latest tenant and operation as hints (a request with the same name pays one compare, not a hash); the
    /// lengths are <see cref="IHeaderDictionary.ContentLength"/> of the request's and the response's header collections
    /// (on Kestrel a stored number, parsed once when the header arrived or was set; see
    /// docs/metering.md#cost-of-the-record-path).
    /// </summary>
    public void Record(HttpContext context, long durationTicks)
    {
        var request = context.Request;
        var response = context.Response;
        var requestHeaders = request.Headers;
        var peer = context.Features.Get<PeerIdentityFeature>();
        var status = response.StatusCode;
        _recorder.Record(false, SourceOf(peer), OperationOf(request.Path.Value, peer), TenantOf(requestHeaders, peer), status is >= 100 and < 600 ? status / 100 : 0,
            requestHeaders.ContentLength ?? 0, response.Headers.ContentLength ?? 0, durationTicks);
    }

    /// <summary>The caller's id: the service of its SPIFFE ID, else the SPIFFE ID; <c>unauthenticated</c> without one.</summary>
    internal int SourceOf(PeerIdentityFeature? peer)
    {
        if (peer is null)
        {
            return _unauthenticated;
        }

        var source = peer.MeteringSource;
        if (source < 0)
        {
            var names = _recorder.Names;
            source = AuthorizationPrincipal.TryGetService(peer.SpiffeId, out var service) ? names.IdOf(service) : names.IdOf(peer.SpiffeId);
            peer.MeteringSource = source; // once per connection (racing requests of one h2 connection write the same value)
        }

        return source;
    }

    /// <summary>The tenant header's single non-empty value, interned (the connection's latest tenant tried first); else <c>-</c>.</summary>
    internal int TenantOf(IHeaderDictionary requestHeaders, PeerIdentityFeature? peer)
    {
        var value = requestHeaders[RateLimits.TenantHeader];
        if (value.Count != 1 || value[0] is not { Length: > 0 } name)
        {
            return _noTenant;
        }

        // The id becomes the connection's next hint (a plain int write; racing h2 requests can only cost a lookup).
        return peer is null ? _recorder.Names.IdOf(name) : peer.MeteringTenant = _recorder.Names.IdOf(name, peer.MeteringTenant);
    }

    /// <summary>The first path segment (<c>/api</c> of <c>/api/entries/7</c>), interned (the connection's latest tried first); <c>/</c> for the root.</summary>
    private int OperationOf(string? path, PeerIdentityFeature? peer)
    {
        if (string.IsNullOrEmpty(path) || path.Length == 1)
        {
            return _root;
        }

        var end = path.IndexOf('/', 1);
        var segment = end < 0 ? path.AsSpan() : path.AsSpan(0, end);
        return peer is null ? _recorder.Names.IdOf(segment) : peer.MeteringOperation = _recorder.Names.IdOf(segment, peer.MeteringOperation);
    }
}
