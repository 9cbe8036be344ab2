// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// A built sidecar at the default sampler (<c>parentbased_always_on</c>) whose config file carries a Tracing policy's
/// <c>tracing.sampling_ratio</c>: at 0 new traces are not sampled (flags <c>00</c>, nothing exported); once the file is
/// rewritten with 1, they are sampled and exported.
/// </summary>
public sealed class TracePolicyProcessTests : IAsyncLifetime
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), "acgs-trace-policy-" + Guid.NewGuid().ToString("N") + ".json");
    private TracedSidecar _traced = null!;

    public async Task InitializeAsync()
    {
        WriteConfig("v1", 0);
        _traced = await TracedSidecar.StartAsync("svc-p", new Dictionary<string, string>
        {
            ["ACGS_CONFIG"] = _config,
            ["ACGS_CONFIG_POLL_SECONDS"] = "0.1",
        });
    }

    public async Task DisposeAsync()
    {
        await _traced.DisposeAsync();
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

        var spans = await Eventually.ValueAsync(() => _traced.Receiver.Spans().ToList(), s => s.Exists(span => span.TraceId == sampledTrace));
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

    private List<string?> Received() => [.. _traced.Received().Select(r => r.TraceParent)];

    private Task SendAsync() => _traced.SendAsync("/hello");
}
