// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Tests.Bus;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// The bus samples as the HTTP listeners do: one built sidecar at <c>traceidratio</c> 0.5, the same traceparents sent as
/// requests to its inbound listener and as messages between two agents on its bus. A trace gets a <c>bus.deliver</c>
/// span exactly when it gets an <c>inbound</c> span, decided by its trace id whatever the caller's sampled flag.
/// </summary>
public sealed class BusSamplingProcessTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private OtlpReceiver _receiver = null!;
    private TestUpstream _app = null!;
    private SidecarProcess _sidecar = null!;
    private Socket _agentA = null!;
    private Socket _agentB = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _app = await TestUpstream.StartAsync("app");
        var bus = FreePort.Get();
        _sidecar = await SidecarProcess.StartAsync(_app.Port, new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = "svc-s",
            ["ACGS_BUS_PORT"] = bus.ToString(CultureInfo.InvariantCulture),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
            ["OTEL_TRACES_SAMPLER"] = "traceidratio",
            ["OTEL_TRACES_SAMPLER_ARG"] = "0.5",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        _agentA = await BusTracedPair.RegisterAsync(bus, "agent-a");
        _agentB = await BusTracedPair.RegisterAsync(bus, "agent-b");
    }

    public async Task DisposeAsync()
    {
        _agentA?.Dispose();
        _agentB?.Dispose();
        foreach (var disposable in new IAsyncDisposable?[] { _sidecar, _app, _receiver })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Send_RatioSamplerWithEitherFlag_BusSpansForTheTracesRequestsGetSpansFor()
    {
        // The ratio compares |first 8 bytes of the trace id| with half of long.MaxValue: 01…, f0… (negative) are in, 70…, 90… out.
        string[] heads = ["0100000000000000", "f000000000000000", "7000000000000000", "9000000000000000"];
        var traces = new List<string>();
        var n = 0;
        foreach (var head in heads)
        {
            foreach (var flags in (string[])["01", "00"])
            {
                var traceId = head + ActivityTraceId.CreateRandom().ToHexString()[16..];
                traces.Add(traceId);
                await BothAsync($"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-{flags}", "m-" + (n++).ToString(CultureInfo.InvariantCulture));
            }
        }

        // A trace both sample, last: once its two spans are in, the others' would have been too.
        var marker = "0200000000000000" + ActivityTraceId.CreateRandom().ToHexString()[16..];
        await BothAsync($"00-{marker}-{ActivitySpanId.CreateRandom().ToHexString()}-00", "m-marker");
        await Eventually.ValueAsync(() => _receiver.Spans().Where(s => s.TraceId == marker).ToList(), static s => s.Count >= 2);

        var spans = _receiver.Spans();
        var http = traces.Where(t => spans.Any(s => s.TraceId == t && s.Name == "inbound")).ToList();
        var bus = traces.Where(t => spans.Any(s => s.TraceId == t && s.Name == "bus.deliver")).ToList();
        Assert.Equal(http, bus);
        Assert.Equal([traces[0], traces[1], traces[2], traces[3]], http); // by the trace id alone, not the flag
    }

    /// <summary>The traceparent as a request to the inbound listener, then on a message from agent-a to agent-b (read and acked).</summary>
    private async Task BothAsync(string traceParent, string id)
    {
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sidecar.Inbound, "/hello")))
        {
            request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
            request.Headers.TryAddWithoutValidation("traceparent", traceParent);
            using var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await BusRawHost.SendAsync(_agentA, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, BusTraceContextTests.Envelope(id), "x"u8, new BusTraceContext(traceParent, null)));
        var deliver = await BusRawHost.ReadFrameAsync(_agentB);
        Assert.NotNull(deliver);
        Assert.Equal((byte)BusFrameType.Deliver, deliver[BusWireConstants.TypeOffset]);
        await BusRawHost.SendAsync(_agentB, w => BusFrameWriter.WriteAck(w, id));
        var ack = await BusRawHost.ReadFrameAsync(_agentA);
        Assert.Equal((byte)BusFrameType.Ack, ack![BusWireConstants.TypeOffset]);
    }
}
