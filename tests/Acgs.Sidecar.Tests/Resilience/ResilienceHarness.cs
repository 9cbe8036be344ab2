// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Resilience;
using Acgs.Sidecar.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>
/// The real resilience factory with fake time, a registry with the metrics listener, metrics in a
/// registry of their own (so tests assert exact values), and an <see cref="HttpMessageInvoker"/> per
/// cluster built exactly as YARP builds it (real sockets).
/// </summary>
internal sealed class ResilienceHarness : IDisposable
{
    private readonly List<HttpMessageInvoker> _clients = [];

    public ResilienceHarness()
    {
        var breakerMetrics = new BreakerMetrics(Metrics);
        Registry = new CircuitBreakerRegistry(Time, [new BreakerMetricsListener(breakerMetrics)]);
        Factory = new ResilienceForwarderHttpClientFactory(Registry, Source, Time, NullLoggerFactory.Instance, new ResilienceMetrics(Metrics), breakerMetrics);
    }

    /// <summary>This harness's metrics (a registry of its own).</summary>
    public SidecarMetrics Metrics { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public MutableResilienceSource Source { get; } = new();

    public CircuitBreakerRegistry Registry { get; }

    public ResilienceForwarderHttpClientFactory Factory { get; }

    /// <summary>A unique cluster name (failure messages then name the test's own cluster).</summary>
    public static string NewCluster(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static ClusterResilience Breaker(int failMax, int resetSeconds = 30) =>
        ClusterResilience.Default with { Breaker = new CircuitBreakerOptions { FailMax = failMax, ResetTimeout = TimeSpan.FromSeconds(resetSeconds) } };

    public HttpMessageInvoker Client(string clusterId, ClusterResilience? settings = null)
    {
        if (settings is not null)
        {
            Source.Set(clusterId, settings);
        }

        var client = Factory.CreateClient(new ForwarderHttpClientContext
        {
            ClusterId = clusterId,
            OldConfig = HttpClientConfig.Empty,
            OldMetadata = null,
            OldClient = null,
            NewConfig = HttpClientConfig.Empty,
            NewMetadata = null,
        });
        _clients.Add(client);
        return client;
    }

    public static Task<HttpResponseMessage> GetAsync(HttpMessageInvoker client, Uri uri, CancellationToken cancellationToken = default) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(uri, "api")), cancellationToken);

    /// <summary>The text <c>/metrics</c> would serve for this harness's registry.</summary>
    public async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await Metrics.Registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
