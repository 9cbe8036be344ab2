// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Authorization;
using Acgs.Contracts.Metering;
using Acgs.Contracts.RateLimiting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Meters every inbound request (docs/metering.md) when its response completes — the refused ones (403, 429) too: the
/// caller (service name of its mTLS identity, else its SPIFFE ID, else <c>unauthenticated</c>), the first path segment,
/// the tenant (<c>x-acgs-tenant</c>), the status class, declared request and response body bytes and the duration
/// since the request entered the sidecar, into the <see cref="UsageRecorder"/>. Not a middleware of its own: the
/// telemetry middleware's completion callback (<see cref="RequestTelemetryMiddleware"/>), which already reads the clock,
/// the status and the connection's <see cref="PeerIdentityFeature"/> for an inbound request, hands them to
/// <see cref="Record"/>; registered only while metering is on. The recording cannot fail the request, which is already
/// answered.
/// </summary>
internal sealed class InboundMetering
{
    private readonly UsageRecorder _recorder;
    private readonly KestrelUnknownHeaders _unknownHeaders = new();
    private readonly int _unauthenticated;
    private readonly int _noTenant;
    private readonly int _root;

    public InboundMetering(UsageRecorder recorder)
    {
        _recorder = recorder;
        _unauthenticated = recorder.Names.IdOf(PeerIdentityMiddleware.Unauthenticated);
        _noTenant = recorder.Names.IdOf(MeteringKinds.NoTenant);
        _root = recorder.Names.IdOf("/");
    }

    /// <summary>The tenant lookup (tests: whether it uses Kestrel's dictionary directly).</summary>
    internal KestrelUnknownHeaders UnknownHeaders => _unknownHeaders;

    /// <summary>
    /// Records one answered request of <paramref name="context"/> from <paramref name="peer"/> (the connection's
    /// feature, null without mTLS), answered with <paramref name="status"/>, that took <paramref name="durationTicks"/>
    /// (Stopwatch ticks). Each value is read once, where the server already holds it: the caller's source id is resolved
    /// on the connection's first request and kept on its <see cref="PeerIdentityFeature"/>, which also keeps the ids of
    /// the connection's latest tenant and operation as hints (a request with the same name pays one compare, not a
    /// hash); the lengths are <see cref="IHeaderDictionary.ContentLength"/> of the request's and the response's header
    /// collections (on Kestrel a stored number, parsed once when the header arrived or was set; see
    /// docs/metering.md#cost-of-the-record-path).
    /// </summary>
    public void Record(HttpContext context, PeerIdentityFeature? peer, int status, long durationTicks)
    {
        var request = context.Request;
        var requestHeaders = request.Headers;
        _recorder.Record(false, SourceOf(peer), OperationOf(request.Path.Value, peer), TenantOf(requestHeaders, peer), status is >= 100 and < 600 ? status / 100 : 0,
            requestHeaders.ContentLength ?? 0, context.Response.Headers.ContentLength ?? 0, durationTicks);
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

    /// <summary>
    /// The tenant header's single non-empty value, interned (the connection's latest tenant tried first); else <c>-</c>.
    /// On Kestrel the header is found in its dictionary of unknown headers directly (<see cref="KestrelUnknownHeaders"/>).
    /// </summary>
    internal int TenantOf(IHeaderDictionary requestHeaders, PeerIdentityFeature? peer)
    {
        if (!_unknownHeaders.TryGetValue(requestHeaders, RateLimits.TenantHeader, out var value) || value.Count != 1 || value[0] is not { Length: > 0 } name)
        {
            return _noTenant;
        }

        // The id becomes the connection's next hint (a plain int write; racing h2 requests can only cost a lookup).
        return peer is null ? _recorder.Names.IdOf(name) : peer.MeteringTenant = _recorder.Names.IdOf(name, peer.MeteringTenant);
    }

    /// <summary>The first path segment (<c>/api</c> of <c>/api/entries/7</c>), interned (the connection's latest tried first); <c>/</c> for the root.</summary>
    internal int OperationOf(string? path, PeerIdentityFeature? peer)
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
