// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;

namespace Acgs.Sidecar.Bus;

/// <summary>Sidecar-to-sidecar links, one per remote bus address, reconnected on demand.</summary>
internal sealed class BusPeerLinkPool(BusRouter router) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, BusPeerLink> _links = new(StringComparer.Ordinal);
    private readonly Lock _create = new();
    private bool _disposed;

    /// <summary>The live link to <paramref name="address"/>, connecting a new one if needed.</summary>
    public BusPeerLink Get(string address)
    {
        if (_links.TryGetValue(address, out var link) && !link.IsDead)
        {
            return link;
        }

        lock (_create)
        {
            if (_links.TryGetValue(address, out link) && !link.IsDead)
            {
                return link;
            }

            link = new BusPeerLink(router, address);
            _links[address] = link;
            if (_disposed)
            {
                link.Close();
            }
            else
            {
                link.Start();
            }

            return link;
        }
    }

    /// <summary>Stops creating links and closes the existing ones.</summary>
    public void CloseAll()
    {
        lock (_create)
        {
            _disposed = true;
        }

        foreach (var link in _links.Values)
        {
            link.Abort();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_create)
        {
            _disposed = true;
        }

        foreach (var link in _links.Values)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
