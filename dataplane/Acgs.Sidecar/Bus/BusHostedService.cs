// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Acgs.Sidecar.Bus;

/// <summary>Starts the offline store (when <c>REDIS_URL</c> is set) and closes peer links on shutdown.</summary>
internal sealed class BusHostedService(BusRouter router, BusOptions options, RedisOptions? redisOptions, IHostApplicationLifetime lifetime) : IHostedService, IAsyncDisposable
{
    private ConnectionMultiplexer? _redis;
    private CancellationTokenRegistration _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Kestrel waits for open connections when it stops; the bus closes its own as soon as stopping begins.
        _stopping = lifetime.ApplicationStopping.Register(static state => ((BusRouter)state!).AbortAll(), router);
        router.StartTimeouts();
        if (options.UseStore && redisOptions is not null)
        {
            _redis = await ConnectionMultiplexer.ConnectAsync(redisOptions.ToConfigurationOptions()).ConfigureAwait(false);
            var store = new BusMessageStore(router, _redis);
            try
            {
                var count = await store.CountAsync().ConfigureAwait(false);
                router.Metrics.StoredCount(count);
                BusLog.StoreLoaded(router.Logger, count);
            }
            catch (RedisException ex)
            {
                BusLog.StoreFailed(router.Logger, "count", ex.Message);
            }

            router.Store = store;
        }

        BusLog.Listening(router.Logger, options.Address, options.Port, options.HttpPort, router.Store is null ? "off" : "redis");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        router.StopTimeouts();
        router.AbortAll();
        await router.PeerLinks.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.DisposeAsync().ConfigureAwait(false);
        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }
}
