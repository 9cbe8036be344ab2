// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Forwarding.Direct;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Acgs.Sidecar.Tests.Forwarding.Direct;

/// <summary>
/// Traced requests (tracing on, an in-process sidecar exporting to a real <see cref="OtlpReceiver"/>) on the direct
/// path and on YARP's: every header the upstream receives — <c>traceparent</c>/<c>tracestate</c> included, with and
/// without the caller's, sampled and not — and every span recorded are the same, and the direct path forwarded them.
/// Ids are random per run, so both views name them by role (the caller's, a span's name, a new trace).
/// </summary>
[Collection(InProcessTracing.Name)]
public sealed class DirectForwarderTracingTests
{
    private const string Service = "svc-test";

    [Fact]
    public async Task Forward_TracingOnDirectOnAndOff_UpstreamGetsSameHeadersAndSameSpansRecorded()
    {
        var recorded = new List<string>();
        await using var app = await KestrelTestServer.StartAsync(context => RecordAsync(context, recorded), IPAddress.Loopback);

        // Five of the six are sampled: all but /unsampled (the malformed one starts a new, sampled trace).
        var off = await RunAsync(app.Port, direct: false, recorded, SendMixAsync, sampled: 5);
        var on = await RunAsync(app.Port, direct: true, recorded, SendMixAsync, sampled: 5);

        Assert.Equal(0, off.Forwarded);
        Assert.Equal(on.Views.Count, on.Forwarded);
        Assert.Equal(off.Views.Count, on.Views.Count);
        for (var i = 0; i < off.Views.Count; i++)
        {
            Assert.Equal(off.Views[i], on.Views[i]);
            Assert.Equal(off.Spans[i], on.Spans[i]);
        }

        // What both paths do: the caller's context is replaced by the client span's, its state kept; an unsampled
        // request's goes on as it came and makes no span.
        Assert.Contains("traceparent: 00-<caller>-upstream-01\n", on.Views[0], StringComparison.Ordinal);
        Assert.Contains("tracestate: vendor=opaque\n", on.Views[0], StringComparison.Ordinal);
        Assert.Contains("baggage: k=v\n", on.Views[0], StringComparison.Ordinal);
        Assert.Contains("inbound kind=2 parent=<caller-span> state=vendor=opaque", on.Spans[0], StringComparison.Ordinal);
        Assert.Contains("upstream kind=3 parent=inbound state=vendor=opaque", on.Spans[0], StringComparison.Ordinal);
        Assert.Contains("traceparent: 00-<new>-upstream-01\n", on.Views[2], StringComparison.Ordinal);
        Assert.DoesNotContain("tracestate:", on.Views[2], StringComparison.Ordinal);
        Assert.Contains("traceparent: 00-<caller>-<caller-span>-00\n", on.Views[3], StringComparison.Ordinal);
        Assert.Equal(string.Empty, on.Spans[3]);
        Assert.Contains("http.response.status_code=503", on.Spans[5], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_TracingOnUpstreamRefusesOrTimesOut_SameFailedClientSpansOnAndOff()
    {
        var port = SidecarTestHost.FreePort();
        var off = await RunAsync(port, direct: false, [], SendFailingAsync, sampled: 1);
        var on = await RunAsync(port, direct: true, [], SendFailingAsync, sampled: 1);
        Assert.Equal(off.Spans, on.Spans);
        Assert.Contains("error.type=System.Net.Http.HttpRequestException", on.Spans[0], StringComparison.Ordinal);
        Assert.Equal(1, on.Forwarded);

        var recorded = new List<string>();
        await using var slow = await KestrelTestServer.StartAsync(
            async context =>
            {
                await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted); // the slow upstream under test
            },
            IPAddress.Loopback);
        var slowOff = await RunAsync(slow.Port, direct: false, recorded, SendFailingAsync, sampled: 1, timeoutSeconds: 0.5);
        var slowOn = await RunAsync(slow.Port, direct: true, recorded, SendFailingAsync, sampled: 1, timeoutSeconds: 0.5);
        Assert.Equal(slowOff.Spans, slowOn.Spans);
        Assert.Contains("error.type=System.Threading.Tasks.TaskCanceledException", slowOn.Spans[0], StringComparison.Ordinal);
        Assert.Equal(1, slowOn.Forwarded);
    }

    [Fact]
    public async Task Forward_TracingOnRepeatedMixedCaseTraceHeaders_CallersDroppedSpanContextWrittenOnceOnAndOff()
    {
        var recorded = new List<string>();
        await using var app = await KestrelTestServer.StartAsync(context => RecordAsync(context, recorded), IPAddress.Loopback);
        var first = ActivityTraceId.CreateRandom().ToHexString();
        var firstSpan = ActivitySpanId.CreateRandom().ToHexString();
        var second = ActivityTraceId.CreateRandom().ToHexString();
        var secondSpan = ActivitySpanId.CreateRandom().ToHexString();
        string[] lines =
        [
            $"traceparent: 00-{first}-{firstSpan}-01",
            $"TraceParent: 00-{second}-{secondSpan}-01",
            "tracestate: a=1",
            "TRACESTATE: b=2",
        ];
        Task<List<Sent>> Send(SidecarTestHost sidecar) => SendRawAsync(sidecar, "/repeated", lines, new Sent(null, firstSpan));

        var off = await RunAsync(app.Port, direct: false, recorded, Send, sampled: 1);
        var on = await RunAsync(app.Port, direct: true, recorded, Send, sampled: 1);

        Assert.Equal(1, on.Forwarded);
        Assert.Equal(off.Views, on.Views);
        Assert.Equal(off.Spans, on.Spans);
        var view = Assert.Single(on.Views);
        Assert.Single(view.Split('\n'), static l => l.StartsWith("traceparent:", StringComparison.Ordinal));
        Assert.Matches("\ntraceparent: 00-<new>-upstream-01\n", view);
        Assert.DoesNotContain(firstSpan, view, StringComparison.Ordinal);
        Assert.DoesNotContain(secondSpan, view, StringComparison.Ordinal);
        Assert.DoesNotContain(second, view, StringComparison.Ordinal);
    }

    // Kestrel lets both through (a non-ASCII value as UTF-8); HttpClient on YARP's path sends the control character and
    // refuses the non-ASCII value (502), and so it goes with the path on: the direct writer never takes either.
    [Theory]
    [InlineData("vendor=a\u0001b", 200)]
    [InlineData("vendor=\u00e9t\u00e9", 502)]
    public async Task Forward_TracingOnTraceStateNotPlainAscii_LeftToYarpNeverWrittenDirect(string state, int status)
    {
        var recorded = new List<string>();
        await using var app = await KestrelTestServer.StartAsync(context => RecordAsync(context, recorded), IPAddress.Loopback);
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        var parent = ActivitySpanId.CreateRandom().ToHexString();
        string[] lines = [$"traceparent: 00-{trace}-{parent}-01", "tracestate: " + state];
        Task<List<Sent>> Send(SidecarTestHost sidecar) => SendRawAsync(sidecar, "/state", lines, new Sent(trace, parent), status);

        var off = await RunAsync(app.Port, direct: false, recorded, Send, sampled: 1);
        var on = await RunAsync(app.Port, direct: true, recorded, Send, sampled: 1);

        Assert.Equal(0, on.Forwarded);
        Assert.Equal(off.Views, on.Views);
        Assert.Equal(off.Spans, on.Spans);
    }

    // Sampled with state and baggage, sampled without state, no traceparent (a new trace; an orphan state is dropped),
    // unsampled, malformed, and a sampled request the upstream answers 503; the POST carries a body.
    private static async Task<List<Sent>> SendMixAsync(SidecarTestHost sidecar)
    {
        var sent = new List<Sent>();
        sent.Add(await SendAsync(sidecar, HttpMethod.Get, "/sampled", true, "vendor=opaque", baggage: "k=v"));
        sent.Add(await SendAsync(sidecar, HttpMethod.Post, "/post", true, null));
        sent.Add(await SendAsync(sidecar, HttpMethod.Get, "/root", null, "orphan=1"));
        sent.Add(await SendAsync(sidecar, HttpMethod.Get, "/unsampled", false, "vendor=x"));
        sent.Add(await SendAsync(sidecar, HttpMethod.Get, "/malformed", null, null, malformed: true));
        sent.Add(await SendAsync(sidecar, HttpMethod.Get, "/fail", true, "a=1,b=2"));
        return sent;
    }

    private static async Task<List<Sent>> SendFailingAsync(SidecarTestHost sidecar) =>
        [await SendAsync(sidecar, HttpMethod.Get, "/down", true, "vendor=opaque")];

    private static async Task<Sent> SendAsync(
        SidecarTestHost sidecar, HttpMethod method, string path, bool? sampled, string? state, string? baggage = null, bool malformed = false)
    {
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        var parent = ActivitySpanId.CreateRandom().ToHexString();
        using var request = SidecarTestHost.Request(method, sidecar.Inbound, path);
        if (sampled is { } flag)
        {
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{parent}-{(flag ? "01" : "00")}");
        }
        else if (malformed)
        {
            request.Headers.TryAddWithoutValidation("traceparent", "00-not-a-trace");
        }

        if (state is not null)
        {
            request.Headers.TryAddWithoutValidation("tracestate", state);
        }

        if (baggage is not null)
        {
            request.Headers.TryAddWithoutValidation("baggage", baggage);
        }

        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{\"a\":1}", Encoding.UTF8, "application/json");
        }

        using var response = await sidecar.Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        return new Sent(sampled is null ? null : trace, parent);
    }

    // A GET written byte for byte (UTF-8): header lines HttpClient would merge or refuse.
    private static async Task<List<Sent>> SendRawAsync(SidecarTestHost sidecar, string path, string[] lines, Sent sent, int status = 200)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, sidecar.Host.InboundPort);
        var stream = client.GetStream();
        var head = new StringBuilder().Append("GET ").Append(path).Append(" HTTP/1.1\r\nHost: localhost\r\n")
            .Append(AcgsConstants.HashHeaderName).Append(": ").Append(AcgsConstants.ConstitutionalHash).Append("\r\n");
        foreach (var line in lines)
        {
            head.Append(line).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(head.Append("Connection: close\r\n\r\n").ToString()));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("HTTP/1.1 " + status.ToString(CultureInfo.InvariantCulture), await reader.ReadToEndAsync(), StringComparison.Ordinal);
        return [sent];
    }

    private static async Task<Run> RunAsync(
        int appPort, bool direct, List<string> recorded, Func<SidecarTestHost, Task<List<Sent>>> send, int sampled, double? timeoutSeconds = null)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var options = SidecarTestHost.Options(appPort, Service) with { DirectForward = direct };
        var snapshot = SidecarTestHost.Snapshot(Service);
        if (timeoutSeconds is { } timeout)
        {
            snapshot = snapshot with { Inbound = new InboundConfig { TimeoutSeconds = timeout } };
        }

        var bootstrap = new SidecarBootstrap(options, snapshot, ConfigSources.Bootstrap, HashOverrides.None)
        {
            Tracing = new TracingOptions(receiver.Endpoint, null, TraceSampler.ParentBasedAlwaysOn, 1.0),
        };
        List<Sent> sent;
        List<ReceivedSpan> spans;
        long forwarded;
        string port;
        lock (recorded)
        {
            recorded.Clear();
        }

        await using (var sidecar = await SidecarTestHost.StartAsync(bootstrap))
        {
            sent = await send(sidecar);
            port = ":" + sidecar.Host.InboundPort.ToString(CultureInfo.InvariantCulture);
            var provider = sidecar.Host.Services.GetRequiredService<TracerProvider>();

            // A server span ends just after its response went out: wait for all of them (two spans a sampled request).
            spans = await Eventually.ValueAsync(
                () =>
                {
                    provider.ForceFlush();
                    return receiver.Spans().ToList();
                },
                s => s.Count >= 2 * sampled);
            Assert.Equal(2 * sampled, spans.Count); // a missing span fails here, not as a wait that ran out
            forwarded = sidecar.Host.Services.GetRequiredService<DirectForwarder>().Forwarded;
        }

        List<string> upstream;
        lock (recorded)
        {
            upstream = [.. recorded.Select(v => v.Replace(port, ":PORT", StringComparison.Ordinal))];
        }

        var views = new List<string>();
        var spanViews = new List<string>();
        for (var i = 0; i < sent.Count; i++)
        {
            // The trace of request i: the caller's, else the one the upstream saw (a new one; none when nothing arrived).
            var seen = i < upstream.Count ? TraceParentOf(upstream[i]) : null;
            var trace = sent[i].Trace;
            if (trace is null && seen?.Split('-') is [_, var id, _, _])
            {
                trace = id;
            }

            var ofTrace = spans.Where(s => s.TraceId == trace).ToList();
            if (i < upstream.Count)
            {
                views.Add(Normalize(upstream[i], seen, sent[i], ofTrace));
            }

            spanViews.Add(string.Join("\n", ofTrace.OrderBy(static s => s.Kind).ThenBy(static s => s.Name, StringComparer.Ordinal).Select(s => Describe(s, sent[i], ofTrace))));
        }

        return new Run(views, spanViews, forwarded);
    }

    private static string? TraceParentOf(string view) =>
        view.Split('\n').FirstOrDefault(static l => l.StartsWith("traceparent: ", StringComparison.Ordinal))?["traceparent: ".Length..];

    private static string Normalize(string view, string? traceParent, Sent sent, List<ReceivedSpan> spans)
    {
        if (traceParent?.Split('-') is not [var version, var trace, var span, var flags])
        {
            return view;
        }

        var traceName = trace == sent.Trace ? "<caller>" : "<new>";
        var spanName = span == sent.Parent ? "<caller-span>" : spans.FirstOrDefault(s => s.SpanId == span)?.Name ?? "<unknown-span>";
        return view.Replace(traceParent, $"{version}-{traceName}-{spanName}-{flags}", StringComparison.Ordinal);
    }

    private static string Describe(ReceivedSpan span, Sent sent, List<ReceivedSpan> trace)
    {
        var parent = span.ParentSpanId.Length == 0 ? "<root>"
            : span.ParentSpanId == sent.Parent ? "<caller-span>"
            : trace.FirstOrDefault(s => s.SpanId == span.ParentSpanId)?.Name ?? "<unknown>";
        var attributes = string.Join(" ", span.Attributes.OrderBy(static a => a.Key, StringComparer.Ordinal).Select(static a => a.Key + "=" + a.Value));
        var events = string.Join(",", span.Events.Select(static e => e.Name));
        return $"{span.Service}/{span.Name} kind={span.Kind} parent={parent} state={span.TraceState} {attributes} events={events}";
    }

    // What the upstream receives: request line and every header (sorted, values as Kestrel joins them), then the body.
    private static async Task RecordAsync(HttpContext context, List<string> recorded)
    {
        var view = new StringBuilder();
        view.Append(context.Request.Method).Append(' ').Append(context.Request.Path).Append(context.Request.QueryString).Append('\n');
        foreach (var header in context.Request.Headers.OrderBy(static h => h.Key, StringComparer.OrdinalIgnoreCase))
        {
            var value = header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase) ? "<sidecar>" : header.Value.ToString();
            view.Append(header.Key.ToLowerInvariant()).Append(": ").Append(value).Append('\n');
        }

        using var reader = new StreamReader(context.Request.Body);
        view.Append("body: ").Append(await reader.ReadToEndAsync());
        lock (recorded)
        {
            recorded.Add(view.ToString());
        }

        context.Response.StatusCode = context.Request.Path == "/fail" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        await context.Response.WriteAsync("ok");
    }

    private sealed record Sent(string? Trace, string Parent);

    private sealed record Run(List<string> Views, List<string> Spans, long Forwarded);
}

/// <summary>
/// Tests whose sidecar runs in this process with tracing on: the tracer provider's listener of the sidecar's
/// <see cref="System.Diagnostics.ActivitySource"/> is process-wide, so they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessTracing
{
    public const string Name = "in-process tracing";
}
