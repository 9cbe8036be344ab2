// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Telemetry;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>The caller label of the inbound metrics: bounded, "other" past the bound, resolved once per connection.</summary>
public sealed class CallerMetricsTests
{
    private static async Task<string> ScrapeAsync(SidecarMetrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public async Task Record_MoreCallersThanTheBound_LaterOnesCountedAsOther()
    {
        var metrics = new SidecarMetrics();
        var callers = new CallerMetrics(metrics);
        for (var i = 0; i < CallerMetrics.MaxCallers + 44; i++)
        {
            callers.Record(new PeerIdentityFeature($"spiffe://acgs.local/svc/s{i}"), 200);
        }

        var text = await ScrapeAsync(metrics);
        Assert.Equal(CallerMetrics.MaxCallers, callers.Callers);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"spiffe://acgs.local/svc/s0\",code_class=\"2xx\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"spiffe://acgs.local/svc/s254\",code_class=\"2xx\"} 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("svc/s255\"", text, StringComparison.Ordinal);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"other\",code_class=\"2xx\"} 45", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_OneConnectionManyRequests_OneSlotByStatusClass_PlaintextUnauthenticated()
    {
        var metrics = new SidecarMetrics();
        var callers = new CallerMetrics(metrics);
        var peer = new PeerIdentityFeature("spiffe://acgs.local/svc/payments");
        callers.Record(peer, 200);
        callers.Record(peer, 204);
        callers.Record(peer, 503);
        callers.Record(null, 403);

        var text = await ScrapeAsync(metrics);
        Assert.Equal(1, peer.CallerSlot);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"spiffe://acgs.local/svc/payments\",code_class=\"2xx\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"spiffe://acgs.local/svc/payments\",code_class=\"5xx\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("acgs_inbound_caller_requests_total{caller=\"unauthenticated\",code_class=\"4xx\"} 1", text, StringComparison.Ordinal);
    }
}
