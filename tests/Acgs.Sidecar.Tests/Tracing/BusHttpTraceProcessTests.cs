// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Tests.Bus;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// <c>POST /v1/messages</c> on sidecar a's bus HTTP API with a <c>traceparent</c> header: the message carries it, so
/// the bus spans of both real sidecars are children of the HTTP caller's span, as for a framed send.
/// </summary>
public sealed class BusHttpTraceProcessTests(BusTracedPair pair) : IClassFixture<BusTracedPair>, IAsyncLifetime
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _sender = "tool-" + Guid.NewGuid().ToString("N"); // one HTTP sender per test: a name registers once
    private string _token = string.Empty;

    public async Task InitializeAsync()
    {
        using var response = await Http.PostAsync(new Uri(pair.BusHttpA, "v1/senders"), new StringContent(
            $$"""{"agent_id":"{{_sender}}","tenant_id":"t1","constitutional_hash":"{{AcgsConstants.ConstitutionalHash}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        _token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PostMessage_SampledTraceparent_BusSpansAreChildrenOfTheCallersSpan()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpan = ActivitySpanId.CreateRandom().ToHexString();

        var (status, traceParent, traceState) = await PostAsync("h-sampled", $"00-{traceId}-{callerSpan}-01", "vendor=http");

        Assert.Equal(HttpStatusCode.OK, status);
        var spans = await Eventually.ValueAsync(() => Of(traceId), static s => s.Count >= 2);
        Assert.Equal(2, spans.Count);
        var forward = Assert.Single(spans, s => s.ParentSpanId == callerSpan);
        var deliver = Assert.Single(spans, s => s.ParentSpanId == forward.SpanId);
        Assert.Equal(("svc-a", "bus.forward"), (forward.Service, forward.Name));
        Assert.Equal(("svc-b", "bus.deliver"), (deliver.Service, deliver.Name));
        Assert.Equal(_sender, forward.Attributes["acgs.agent.from"]);
        Assert.Equal($"00-{traceId}-{deliver.SpanId}-01", traceParent);
        Assert.Equal("vendor=http", traceState);
    }

    [Fact]
    public async Task PostMessage_UnsampledTraceparent_PassedOnUnchangedNoSpan()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var sent = $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-00";

        var (status, traceParent, _) = await PostAsync("h-unsampled", sent, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(sent, traceParent);
        var marker = ActivityTraceId.CreateRandom().ToHexString();
        await PostAsync("h-marker", $"00-{marker}-{ActivitySpanId.CreateRandom().ToHexString()}-01", null);
        await Eventually.ValueAsync(() => Of(marker), static s => s.Count >= 2);
        Assert.Empty(Of(traceId));
    }

    [Fact]
    public async Task PostMessage_MalformedTraceparent_DeliveredWithoutTraceContext()
    {
        var (status, traceParent, _) = await PostAsync("h-malformed", "00-NOT-HEX-01", "vendor=x");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(traceParent);
    }

    private List<ReceivedSpan> Of(string traceId) => [.. pair.Receiver.Spans().Where(s => s.TraceId == traceId)];

    /// <summary>Posts to agent-b with the headers, reads the delivery on agent-b (and acks it), then the HTTP answer.</summary>
    private async Task<(HttpStatusCode Status, string? TraceParent, string? TraceState)> PostAsync(string id, string traceParent, string? traceState)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(pair.BusHttpA, "v1/messages"))
        {
            Content = new StringContent($$"""{"message_id":"{{id}}","to_agent":"agent-b","constitutional_hash":"{{AcgsConstants.ConstitutionalHash}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.TryAddWithoutValidation("traceparent", traceParent);
        if (traceState is not null)
        {
            request.Headers.TryAddWithoutValidation("tracestate", traceState);
        }

        var post = Http.SendAsync(request);
        var deliver = await BusRawHost.ReadFrameAsync(pair.AgentB);
        Assert.NotNull(deliver);
        var flags = (BusFrameFlagBits)deliver[BusWireConstants.FlagsOffset];
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), flags, out var view));
        Assert.Equal(id, Encoding.UTF8.GetString(view.MessageId));
        var carried = view.HasTraceContext ? (Encoding.ASCII.GetString(view.TraceParent), Encoding.ASCII.GetString(view.TraceState)) : ((string?)null, (string?)null);
        await BusRawHost.SendAsync(pair.AgentB, w => BusFrameWriter.WriteAck(w, id));
        using var response = await post;
        return (response.StatusCode, carried.Item1, carried.Item2);
    }
}
