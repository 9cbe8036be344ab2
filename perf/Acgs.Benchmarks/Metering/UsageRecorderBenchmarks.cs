// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Reflection;
using Acgs.Contracts.RateLimiting;
using Acgs.Core;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Metering;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Acgs.Benchmarks.Metering;

/// <summary>
/// The metering record path per request. <see cref="RecordKnownKey"/> is the recorder alone (ids known: slot lookup and
/// the per-core interlocked adds). <see cref="CompleteInboundRequest"/> is everything the middleware does when a response
/// completes on a real listener — the timing feature and the clock, the caller (resolved once per connection), the
/// tenant header, the first path segment, the status and the two lengths, then the record — on a request whose header
/// collections are Kestrel's own (<c>HttpRequestHeaders</c>/<c>HttpResponseHeaders</c>, created by reflection: internal
/// types), which keep <c>Content-Length</c> as a number parsed once when the header arrives or is set.
/// <see cref="RecordInboundRequestDefaultHeaders"/> is the same step without the timing on
/// <see cref="DefaultHttpContext"/>'s generic <see cref="HeaderDictionary"/>, which parses <c>Content-Length</c> text on
/// every read (what unit tests and middleware built on <see cref="DefaultHttpContext"/> see, not a listener). The
/// <c>Probe*</c> and <c>Resolve*</c> rows split the step. Every row must be 0 B/op.
/// </summary>
[MemoryDiagnoser]
public class UsageRecorderBenchmarks
{
    private const string KestrelAssembly = "Microsoft.AspNetCore.Server.Kestrel.Core";
    private const string KestrelHeaders = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.";

    private UsageRecorder _recorder = null!;
    private MeteringMiddleware _middleware = null!;
    private DefaultHttpContext _kestrel = null!;
    private DefaultHttpContext _default = null!;
    private PeerIdentityFeature _peer = null!;
    private int _source;
    private int _operation;
    private int _tenant;

    [GlobalSetup]
    public void Setup()
    {
        _recorder = new UsageRecorder();
        _middleware = new MeteringMiddleware(static _ => Task.CompletedTask, new ListenerPorts(), _recorder, new MeteringOptions());
        _peer = new PeerIdentityFeature("spiffe://acgs.local/ns/governance/sa/vector-search");
        _kestrel = Request(_peer, Create<IHeaderDictionary>("HttpRequestHeaders"), Create<IHeaderDictionary>("HttpResponseHeaders"));
        if (_kestrel.Request.Headers.GetType() == typeof(HeaderDictionary) || _kestrel.Request.Headers.ContentLength != 512 || _kestrel.Response.Headers.ContentLength != 2048)
        {
            throw new InvalidOperationException("the request does not hold Kestrel's header collections");
        }

        var timing = new RequestTiming();
        timing.Begin(null!, _kestrel, ListenerKind.Inbound, Stopwatch.GetTimestamp());
        _kestrel.Features.Set(timing);
        _default = Request(new PeerIdentityFeature(_peer.SpiffeId), new HeaderDictionary(), new HeaderDictionary());
        _source = _recorder.Names.IdOf("vector-search");
        _operation = _recorder.Names.IdOf("/api");
        _tenant = _recorder.Names.IdOf("tenant-a");
        _middleware.Complete(_kestrel);
        _middleware.Record(_default, 1000);
        var rows = _recorder.Collect();
        if (rows.Count != 1 || rows[0] is not { Count: 2, Source: "vector-search", Operation: "/api", Tenant: "tenant-a", StatusClass: 2, RequestBytes: 1024, ResponseBytes: 4096 })
        {
            throw new InvalidOperationException("benchmark recorder does not record as expected");
        }
    }

    [Benchmark(Baseline = true)]
    public void RecordKnownKey() => _recorder.Record(false, _source, _operation, _tenant, 2, 512, 2048, 1000);

    [Benchmark]
    public Task CompleteInboundRequest() => _middleware.Complete(_kestrel);

    [Benchmark]
    public void RecordInboundRequestDefaultHeaders() => _middleware.Record(_default, 1000);

    [Benchmark]
    public int ProbeCaller() => _middleware.SourceOf(_kestrel);

    [Benchmark]
    public int ResolveCallerNewConnection()
    {
        _peer.MeteringSource = -1;
        return _middleware.SourceOf(_kestrel);
    }

    [Benchmark]
    public int ProbeTenant() => _kestrel.Request.Headers[RateLimits.TenantHeader] is { Count: 1 } header ? _recorder.Names.IdOf(header[0]) : 0;

    [Benchmark]
    public long ProbeLengths() => (_kestrel.Request.Headers.ContentLength ?? 0) + (_kestrel.Response.Headers.ContentLength ?? 0) + _kestrel.Response.StatusCode;

    [Benchmark]
    public long ProbeLengthsDefaultHeaders() => (_default.Request.Headers.ContentLength ?? 0) + (_default.Response.Headers.ContentLength ?? 0) + _default.Response.StatusCode;

    /// <summary>An answered inbound request on <paramref name="requestHeaders"/> and <paramref name="responseHeaders"/>, its headers set as text (as the server's parser and the proxy's copy of the upstream's response set them).</summary>
    private static DefaultHttpContext Request(PeerIdentityFeature peer, IHeaderDictionary requestHeaders, IHeaderDictionary responseHeaders)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.Headers = requestHeaders;
        context.Features.Get<IHttpResponseFeature>()!.Headers = responseHeaders;
        context.Features.Set(peer);
        context.Request.Method = "POST";
        context.Request.Path = "/api/entries/42";
        requestHeaders.Host = "audit-ledger:8080";
        requestHeaders.Accept = "application/json";
        requestHeaders.ContentType = "application/json";
        requestHeaders[HeaderNames.ContentLength] = "512";
        requestHeaders[AcgsConstants.HashHeaderName] = AcgsConstants.ConstitutionalHash;
        requestHeaders["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        requestHeaders[RateLimits.TenantHeader] = "tenant-a";
        context.Response.StatusCode = 200;
        responseHeaders.ContentType = "application/json";
        responseHeaders[HeaderNames.ContentLength] = "2048";
        responseHeaders.Date = "Mon, 07 Dec 2026 06:00:00 GMT";
        return context;
    }

    /// <summary>Kestrel's header collection <paramref name="type"/>, created with its constructor's default arguments.</summary>
    private static T Create<T>(string type)
    {
        var kestrel = Type.GetType(KestrelHeaders + type + ", " + KestrelAssembly, throwOnError: true)!;
        var constructor = kestrel.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)[0];
        var arguments = Array.ConvertAll(constructor.GetParameters(), static p => p.HasDefaultValue ? p.DefaultValue : null);
        return (T)constructor.Invoke(arguments);
    }
}
