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
/// The real resilience factory with fake time, a registry with the metrics listener, and an
/// <see cref="HttpMessageInvoker"/> per cluster built exactly as YARP builds it (real sockets).
/// </summary>
internal sealed class ResilienceHarness : IDisposable
{
    private readonly List<HttpMessageInvoker> _clients = [];

    public ResilienceHarness()
    {
        Registry = new CircuitBreakerRegistry(Time, [new BreakerMetricsListener()]);
        Factory = new ResilienceForwarderHttpClientFactory(Registry, Source, Time, NullLoggerFactory.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public MutableResilienceSource Source { get; } = new();

    public CircuitBreakerRegistry Registry { get; }

    public ResilienceForwarderHttpClientFactory Factory { get; }

    /// <summary>A unique cluster name (prometheus-net's default registry is process-wide).</summary>
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

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
