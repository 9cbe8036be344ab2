// Constitutional Hash: cdd01ef066bc6cf2

using System.Reflection;
using Acgs.Contracts.Metering;
using Acgs.Contracts.RateLimiting;
using Acgs.Core;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Metering;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Net.Http.Headers;

namespace Acgs.Benchmarks.Metering;

/// <summary>
/// The metering record path per request. <see cref="RecordKnownKey"/> is the recorder alone (ids known: slot lookup and
/// the per-core interlocked adds). <see cref="MeterInboundRequest"/> is everything metering adds when a response
/// completes on a real listener: <see cref="InboundMetering.Record"/> as the telemetry middleware's completion callback
/// calls it, with the peer identity feature, the status and the duration that callback has already read for its own
/// series — the caller (resolved once per connection), the tenant header, the first path segment, the status class and
/// the two lengths, then the record — on a request whose header collections are Kestrel's own
/// (<c>HttpRequestHeaders</c>/<c>HttpResponseHeaders</c>, created by reflection: internal types), which keep
/// <c>Content-Length</c> as a number parsed once when the header arrives or is set, and whose feature collection finds
/// features as Kestrel's does (<see cref="KestrelLikeFeatures"/>: typed slots compared in Kestrel's order, then extras,
/// then the connection's features). <see cref="MeterInboundRequestNoTenant"/> is the same for a request without
/// <c>x-acgs-tenant</c>; <see cref="MeterInboundRequestDefaultHeaders"/> the same on a plain <see cref="DefaultHttpContext"/>
/// (generic <see cref="HeaderDictionary"/>, which parses <c>Content-Length</c> text on every read, and a dictionary of
/// features: what unit tests see, not a listener). <see cref="TelemetryCompletionMeteringOff"/> and
/// <see cref="TelemetryCompletionMeteringOn"/> are the telemetry middleware's whole step on the same request (pooled
/// timing set as a feature, completion callback registered and run, its counters and histograms, the timing feature
/// cleared) without and with metering: their difference is metering's cost where it runs. The
/// <c>...DictionaryFeatures</c> pair is the same on <see cref="DefaultHttpContext"/>'s own feature collection, where
/// every fetch after the timing feature is set is a dictionary lookup; the <c>...RequestRead</c> pair is the first pair
/// with a next middleware that reads the request's path and headers, as the proxy does, so that the request's features
/// are fetched again (after the timing feature's set) before the response completes, not by metering. The <c>Probe*</c> and <c>Resolve*</c> rows split
/// the metering step (<see cref="ProbeTenant"/> the header and a fresh intern, <see cref="ProbeTenantSameAsConnection"/>
/// the header and the connection's hint, <see cref="ProbeTenantHeaderOnly"/> the header alone by Kestrel's public lookup,
/// <see cref="ProbeTenantUnknownHeaders"/> the same header by the lookup metering uses, <see cref="KestrelUnknownHeaders"/>).
/// <see cref="FeatureSetMeterInboundRequest"/> minus <see cref="FeatureSet"/> is the metering step right after a feature
/// was set (the collection's revision changed, so the request's and the response's cached features are fetched again):
/// what setting a request feature costs a later reader. Every row must be 0 B/op.
/// </summary>
[MemoryDiagnoser]
public class UsageRecorderBenchmarks
{
    private const string KestrelAssembly = "Microsoft.AspNetCore.Server.Kestrel.Core";
    private const string KestrelHeaderTypes = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.";
    private static readonly RequestDelegate Next = static _ => Task.CompletedTask;

    private UsageRecorder _recorder = null!;
    private InboundMetering _metering = null!;
    private DefaultHttpContext _kestrel = null!;
    private DefaultHttpContext _kestrelNoTenant = null!;
    private DefaultHttpContext _default = null!;
    private PeerIdentityFeature _peer = null!;
    private PeerIdentityFeature _peerNoTenant = null!;
    private PeerIdentityFeature _peerDefault = null!;
    private DefaultHttpContext _kestrelStale = null!;
    private PeerIdentityFeature _peerStale = null!;
    private RequestTelemetryMiddleware _telemetryOff = null!;
    private RequestTelemetryMiddleware _telemetryOn = null!;
    private DefaultHttpContext _telemetryOffContext = null!;
    private DefaultHttpContext _telemetryOnContext = null!;
    private CompletingResponseFeature _telemetryOffCompletion = null!;
    private CompletingResponseFeature _telemetryOnCompletion = null!;
    private RequestTelemetryMiddleware _telemetryOffRead = null!;
    private RequestTelemetryMiddleware _telemetryOnRead = null!;
    private DefaultHttpContext _telemetryOffReadContext = null!;
    private DefaultHttpContext _telemetryOnReadContext = null!;
    private CompletingResponseFeature _telemetryOffReadCompletion = null!;
    private CompletingResponseFeature _telemetryOnReadCompletion = null!;
    private DefaultHttpContext _telemetryOffDictionaryContext = null!;
    private DefaultHttpContext _telemetryOnDictionaryContext = null!;
    private CompletingResponseFeature _telemetryOffDictionaryCompletion = null!;
    private CompletingResponseFeature _telemetryOnDictionaryCompletion = null!;
    private int _source;
    private int _operation;
    private int _tenant;

    [GlobalSetup]
    public void Setup()
    {
        _recorder = new UsageRecorder();
        _metering = new InboundMetering(_recorder);
        _peer = new PeerIdentityFeature("spiffe://acgs.local/ns/governance/sa/vector-search");
        _kestrel = Request(Kestrel(_peer, new HttpResponseFeature()), KestrelHeaders("HttpRequestHeaders"), KestrelHeaders("HttpResponseHeaders"), "tenant-a");
        if (_kestrel.Request.Headers.GetType() == typeof(HeaderDictionary) || _kestrel.Request.Headers.ContentLength != 512 || _kestrel.Response.Headers.ContentLength != 2048
            || _kestrel.Features.GetType() != typeof(KestrelLikeFeatures) || !ReferenceEquals(_kestrel.Features.Get<PeerIdentityFeature>(), _peer))
        {
            throw new InvalidOperationException("the request does not hold Kestrel's header collections and a Kestrel-like feature collection");
        }

        _peerNoTenant = new PeerIdentityFeature(_peer.SpiffeId);
        _kestrelNoTenant = Request(Kestrel(_peerNoTenant, new HttpResponseFeature()), KestrelHeaders("HttpRequestHeaders"), KestrelHeaders("HttpResponseHeaders"), null);
        _peerStale = new PeerIdentityFeature(_peer.SpiffeId);
        _kestrelStale = Request(Kestrel(_peerStale, new HttpResponseFeature()), KestrelHeaders("HttpRequestHeaders"), KestrelHeaders("HttpResponseHeaders"), "tenant-a");
        _peerDefault = new PeerIdentityFeature(_peer.SpiffeId);
        _default = Request(Dictionary(_peerDefault, new HttpResponseFeature()), new HeaderDictionary(), new HeaderDictionary(), "tenant-a");
        _source = _recorder.Names.IdOf("vector-search");
        _operation = _recorder.Names.IdOf("/api");
        _tenant = _recorder.Names.IdOf("tenant-a");
        MeterInboundRequest();
        MeterInboundRequestDefaultHeaders();
        var rows = _recorder.Collect();
        if (rows.Count != 1 || rows[0] is not { Count: 2, Source: "vector-search", Operation: "/api", Tenant: "tenant-a", StatusClass: 2, RequestBytes: 1024, ResponseBytes: 4096 })
        {
            throw new InvalidOperationException("benchmark recorder does not record as expected");
        }

        if (!_metering.UnknownHeaders.InUse)
        {
            throw new InvalidOperationException("the tenant lookup does not use Kestrel's dictionary of unknown headers");
        }

        MeterInboundRequestNoTenant();
        rows = _recorder.Collect();
        if (rows.Count != 1 || rows[0] is not { Count: 1, Source: "vector-search", Operation: "/api", Tenant: MeteringKinds.NoTenant })
        {
            throw new InvalidOperationException("benchmark recorder does not record a request without a tenant as expected");
        }

        // The telemetry middleware as the sidecar composes it, without and with metering, each on its own request like
        // _kestrel: on the Kestrel-like feature collection and on DefaultHttpContext's dictionary of features.
        var telemetryRecorder = new UsageRecorder();
        _telemetryOff = Telemetry(null);
        _telemetryOn = Telemetry(new InboundMetering(telemetryRecorder));
        (_telemetryOffContext, _telemetryOffCompletion) = Completing(kestrelFeatures: true);
        (_telemetryOnContext, _telemetryOnCompletion) = Completing(kestrelFeatures: true);
        (_telemetryOffDictionaryContext, _telemetryOffDictionaryCompletion) = Completing(kestrelFeatures: false);
        (_telemetryOnDictionaryContext, _telemetryOnDictionaryCompletion) = Completing(kestrelFeatures: false);
        _telemetryOffRead = Telemetry(null, ReadRequest);
        _telemetryOnRead = Telemetry(new InboundMetering(telemetryRecorder), ReadRequest);
        (_telemetryOffReadContext, _telemetryOffReadCompletion) = Completing(kestrelFeatures: true);
        (_telemetryOnReadContext, _telemetryOnReadCompletion) = Completing(kestrelFeatures: true);
        TelemetryCompletionMeteringOff().GetAwaiter().GetResult();
        TelemetryCompletionMeteringOn().GetAwaiter().GetResult();
        TelemetryCompletionMeteringOffDictionaryFeatures().GetAwaiter().GetResult();
        TelemetryCompletionMeteringOnDictionaryFeatures().GetAwaiter().GetResult();
        TelemetryCompletionMeteringOffRequestRead().GetAwaiter().GetResult();
        TelemetryCompletionMeteringOnRequestRead().GetAwaiter().GetResult();
        rows = telemetryRecorder.Collect();
        if (rows.Count != 1 || rows[0] is not { Count: 3, Source: "vector-search", Operation: "/api", Tenant: "tenant-a", StatusClass: 2, RequestBytes: 1536, ResponseBytes: 6144 }
            || _telemetryOnContext.Features.Get<RequestTiming>() is not null)
        {
            throw new InvalidOperationException("the telemetry middleware does not meter the request as expected");
        }
    }

    [Benchmark(Baseline = true)]
    public void RecordKnownKey() => _recorder.Record(false, _source, _operation, _tenant, 2, 512, 2048, 1000);

    [Benchmark]
    public void MeterInboundRequest() => _metering.Record(_kestrel, _peer, StatusCodes.Status200OK, 1000);

    [Benchmark]
    public void MeterInboundRequestNoTenant() => _metering.Record(_kestrelNoTenant, _peerNoTenant, StatusCodes.Status200OK, 1000);

    [Benchmark]
    public void MeterInboundRequestDefaultHeaders() => _metering.Record(_default, _peerDefault, StatusCodes.Status200OK, 1000);

    [Benchmark]
    public Task TelemetryCompletionMeteringOff()
    {
        var task = _telemetryOff.InvokeAsync(_telemetryOffContext);
        return task.IsCompletedSuccessfully ? _telemetryOffCompletion.CompleteAsync() : task;
    }

    [Benchmark]
    public Task TelemetryCompletionMeteringOn()
    {
        var task = _telemetryOn.InvokeAsync(_telemetryOnContext);
        return task.IsCompletedSuccessfully ? _telemetryOnCompletion.CompleteAsync() : task;
    }

    [Benchmark]
    public Task TelemetryCompletionMeteringOffDictionaryFeatures()
    {
        var task = _telemetryOff.InvokeAsync(_telemetryOffDictionaryContext);
        return task.IsCompletedSuccessfully ? _telemetryOffDictionaryCompletion.CompleteAsync() : task;
    }

    [Benchmark]
    public Task TelemetryCompletionMeteringOnDictionaryFeatures()
    {
        var task = _telemetryOn.InvokeAsync(_telemetryOnDictionaryContext);
        return task.IsCompletedSuccessfully ? _telemetryOnDictionaryCompletion.CompleteAsync() : task;
    }

    [Benchmark]
    public Task TelemetryCompletionMeteringOffRequestRead()
    {
        var task = _telemetryOffRead.InvokeAsync(_telemetryOffReadContext);
        return task.IsCompletedSuccessfully ? _telemetryOffReadCompletion.CompleteAsync() : task;
    }

    [Benchmark]
    public Task TelemetryCompletionMeteringOnRequestRead()
    {
        var task = _telemetryOnRead.InvokeAsync(_telemetryOnReadContext);
        return task.IsCompletedSuccessfully ? _telemetryOnReadCompletion.CompleteAsync() : task;
    }

    [Benchmark]
    public int ProbeCaller() => _metering.SourceOf(_peer);

    [Benchmark]
    public int ResolveCallerNewConnection()
    {
        _peer.MeteringSource = -1;
        return _metering.SourceOf(_peer);
    }

    [Benchmark]
    public int ProbeTenant() => _kestrel.Request.Headers.TryGetValue(RateLimits.TenantHeader, out var header) && header.Count == 1 ? _recorder.Names.IdOf(header[0]) : 0;

    [Benchmark]
    public int ProbeTenantSameAsConnection() => _metering.TenantOf(_kestrel.Request.Headers, _peer);

    [Benchmark]
    public int ProbeTenantHeaderOnly() => _kestrel.Request.Headers.TryGetValue(RateLimits.TenantHeader, out var header) ? header.Count : 0;

    [Benchmark]
    public int ProbeTenantUnknownHeaders() => _metering.UnknownHeaders.TryGetValue(_kestrel.Request.Headers, RateLimits.TenantHeader, out var header) ? header.Count : 0;

    [Benchmark]
    public int ProbeTenantUnknownHeadersNoTenant() => _metering.UnknownHeaders.TryGetValue(_kestrelNoTenant.Request.Headers, RateLimits.TenantHeader, out var header) ? header.Count : 0;

    [Benchmark]
    public void FeatureSet() => _kestrelStale.Features[typeof(UsageRecorderBenchmarks)] = this;

    [Benchmark]
    public void FeatureSetMeterInboundRequest()
    {
        _kestrelStale.Features[typeof(UsageRecorderBenchmarks)] = this;
        _metering.Record(_kestrelStale, _peerStale, StatusCodes.Status200OK, 1000);
    }

    [Benchmark]
    public int ProbeTenantHeaderOnlyNoTenant() => _kestrelNoTenant.Request.Headers.TryGetValue(RateLimits.TenantHeader, out var header) ? header.Count : 0;

    [Benchmark]
    public int ProbeOperationSameAsConnection() => _metering.OperationOf(_kestrel.Request.Path.Value, _peer);

    [Benchmark]
    public long ProbeLengths() => (_kestrel.Request.Headers.ContentLength ?? 0) + (_kestrel.Response.Headers.ContentLength ?? 0);

    [Benchmark]
    public long ProbeLengthsDefaultHeaders() => (_default.Request.Headers.ContentLength ?? 0) + (_default.Response.Headers.ContentLength ?? 0);

    private static RequestTelemetryMiddleware Telemetry(InboundMetering? metering, RequestDelegate? next = null) =>
        new(next ?? Next, new ListenerPorts(), new TelemetryRegistry(new SidecarMetrics(), new GoldenEdges(TimeProvider.System)), new LatencyStats(), metering: metering);

    /// <summary>
    /// The next middleware of the <c>...RequestRead</c> rows: reads the request's path and headers, as the proxy does after
    /// the telemetry middleware has set its timing feature, so that the request's features are fetched again there and
    /// are cached when the response completes.
    /// </summary>
    private static Task ReadRequest(HttpContext context)
    {
        var request = context.Request;
        return request.Path.HasValue && request.Headers.Count > 0 ? Task.CompletedTask : Task.FromException(new InvalidOperationException("no request"));
    }

    /// <summary>A request like <see cref="_kestrel"/> whose response runs the one completion callback registered, as Kestrel's (reused) callback stack does.</summary>
    private static (DefaultHttpContext Context, CompletingResponseFeature Completion) Completing(bool kestrelFeatures)
    {
        var completion = new CompletingResponseFeature();
        var peer = new PeerIdentityFeature("spiffe://acgs.local/ns/governance/sa/vector-search");
        var context = kestrelFeatures ? Kestrel(peer, completion) : Dictionary(peer, completion);
        return (Request(context, KestrelHeaders("HttpRequestHeaders"), KestrelHeaders("HttpResponseHeaders"), "tenant-a"), completion);
    }

    /// <summary>
    /// A request on a <see cref="KestrelLikeFeatures"/> collection, as Kestrel's <c>HttpProtocol</c> holds it: the
    /// request's own features in their slots (the endpoint feature too, which Kestrel implements itself), and the
    /// connection's collection behind it with the TLS middleware's four features (placeholders: only their place in
    /// the list matters) and then the sidecar's <paramref name="peer"/>, as <c>TlsSniff</c> adds it after the handshake.
    /// </summary>
    private static DefaultHttpContext Kestrel(PeerIdentityFeature peer, IHttpResponseFeature response)
    {
        var connection = new KestrelLikeFeatures(KestrelLikeFeatures.ConnectionSlots, null);
        connection[typeof(ITlsConnectionFeature)] = new object();
        connection[typeof(ITlsHandshakeFeature)] = new object();
        connection[typeof(ITlsApplicationProtocolFeature)] = new object();
        connection[typeof(ISslStreamFeature)] = new object();
        connection.Set(peer);
        var features = new KestrelLikeFeatures(KestrelLikeFeatures.RequestSlots, connection);
        features.Set<IHttpRequestFeature>(new HttpRequestFeature());
        features.Set(response);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        features.Set<IEndpointFeature>(new EndpointFeature());
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature());
        return new DefaultHttpContext(features);
    }

    /// <summary>A request on <see cref="DefaultHttpContext"/>'s own feature collection (a dictionary by type), the peer among its features.</summary>
    private static DefaultHttpContext Dictionary(PeerIdentityFeature peer, IHttpResponseFeature response)
    {
        var context = new DefaultHttpContext();
        context.Features.Set(response);
        context.Features.Set(peer);
        return context;
    }

    /// <summary>The answered inbound request of <paramref name="context"/> on <paramref name="requestHeaders"/> and <paramref name="responseHeaders"/>, its headers set as text (as the server's parser and the proxy's copy of the upstream's response set them).</summary>
    private static DefaultHttpContext Request(DefaultHttpContext context, IHeaderDictionary requestHeaders, IHeaderDictionary responseHeaders, string? tenant)
    {
        context.Features.Get<IHttpRequestFeature>()!.Headers = requestHeaders;
        context.Features.Get<IHttpResponseFeature>()!.Headers = responseHeaders;
        context.Request.Method = "POST";
        context.Request.Path = "/api/entries/42";
        requestHeaders.Host = "audit-ledger:8080";
        requestHeaders.Accept = "application/json";
        requestHeaders.ContentType = "application/json";
        requestHeaders[HeaderNames.ContentLength] = "512";
        requestHeaders[AcgsConstants.HashHeaderName] = AcgsConstants.ConstitutionalHash;
        requestHeaders["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        if (tenant is not null)
        {
            requestHeaders[RateLimits.TenantHeader] = tenant;
        }

        context.Response.StatusCode = 200;
        responseHeaders.ContentType = "application/json";
        responseHeaders[HeaderNames.ContentLength] = "2048";
        responseHeaders.Date = "Mon, 07 Dec 2026 06:00:00 GMT";
        return context;
    }

    /// <summary>Kestrel's header collection <paramref name="type"/>, created with its constructor's default arguments.</summary>
    private static IHeaderDictionary KestrelHeaders(string type)
    {
        var kestrel = Type.GetType(KestrelHeaderTypes + type + ", " + KestrelAssembly, throwOnError: true)!;
        var constructor = kestrel.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)[0];
        var arguments = Array.ConvertAll(constructor.GetParameters(), static p => p.HasDefaultValue ? p.DefaultValue : null);
        return (IHeaderDictionary)constructor.Invoke(arguments);
    }

    /// <summary>The endpoint feature before routing has run (Kestrel's <c>HttpProtocol</c> implements it itself).</summary>
    private sealed class EndpointFeature : IEndpointFeature
    {
        public Endpoint? Endpoint { get; set; }
    }
}
