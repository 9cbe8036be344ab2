// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// A built sidecar at the default sampler (<c>parentbased_always_on</c>) whose config file carries a Tracing policy's
/// <c>tracing.sampling_ratio</c>: at 0 new traces are not sampled (flags <c>00</c>, nothing exported); once the file is
/// rewritten with 1, they are sampled and exported.
/// </summary>
public sealed class TracePolicyProcessTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _config = Path.Combine(Path.GetTempPath(), "acgs-trace-policy-" + Guid.NewGuid().ToString("N") + ".json");
    private readonly List<string?> _received = [];
    private OtlpReceiver _receiver = null!;
    private KestrelTestServer _app = null!;
    private SidecarProcess _sidecar = null!;

    public async Task InitializeAsync()
    {
        WriteConfig("v1", 0);
        _receiver = await OtlpReceiver.StartAsync();
        _app = await KestrelTestServer.StartAsync(RecordAsync, IPAddress.Loopback);
        _sidecar = await SidecarProcess.StartAsync(_app.Port, new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = "svc-p",
            ["ACGS_CONFIG"] = _config,
            ["ACGS_CONFIG_POLL_SECONDS"] = "0.1",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString(),
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _app.DisposeAsync();
        await _receiver.DisposeAsync();
        File.Delete(_config);
    }

    [Fact]
    public async Task Request_PolicyRatioZeroThenOne_NotSampledThenSampled()
    {
        const int Requests = 10;
        for (var i = 0; i < Requests; i++)
        {
            await SendAsync();
        }

        var unsampled = Received();
        Assert.Equal(Requests, unsampled.Count);
        Assert.All(unsampled, traceParent => Assert.True(TraceParent.TryRead(traceParent, out var sampled, out _) && !sampled, traceParent));

        WriteConfig("v2", 1);
        var sampledTrace = await Eventually.ValueAsync<string?>(async () =>
        {
            await SendAsync();
            var last = Received()[^1];
            return TraceParent.TryRead(last, out var sampled, out _) && sampled ? last!.Split('-')[1] : null;
        }, static id => id is not null);

        var spans = await Eventually.ValueAsync(() => _receiver.Spans().ToList(), s => s.Exists(span => span.TraceId == sampledTrace));
        Assert.All(spans, span => Assert.DoesNotContain(span.TraceId, unsampled.Select(t => t!.Split('-')[1])));
    }

    private void WriteConfig(string version, double ratio)
    {
        var temporary = _config + ".tmp";
        File.WriteAllText(temporary, $$"""
            {
              "constitutional_hash": "{{AcgsConstants.ConstitutionalHash}}",
              "version": "{{version}}",
              "service_name": "svc-p",
              "tracing": { "name": "traces", "sampling_ratio": {{ratio.ToString(System.Globalization.CultureInfo.InvariantCulture)}} }
            }
            """);
        File.Move(temporary, _config, overwrite: true);
    }

    private List<string?> Received()
    {
        lock (_received)
        {
            return [.. _received];
        }
    }

    private Task RecordAsync(HttpContext context)
    {
        lock (_received)
        {
            _received.Add(context.Request.Headers.TraceParent.Count > 0 ? context.Request.Headers.TraceParent.ToString() : null);
        }

        return context.Response.WriteAsync("p");
    }

    private async Task SendAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sidecar.Inbound, "/hello"));
        request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
