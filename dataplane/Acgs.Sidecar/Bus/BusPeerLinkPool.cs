// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// Sidecar-to-sidecar links, one per remote bus address listed in the agent directory, reconnected on
/// demand. A link that failed is kept for <see cref="BusOptions.PeerRetryDelay"/> so messages meanwhile
/// fail over at once (offline store, or <c>unavailable</c>) instead of each opening a connection. After a
/// directory update, links to addresses no longer listed are drained and closed (<see cref="Evict"/>).
/// </summary>
internal sealed class BusPeerLinkPool(BusRouter router) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, BusPeerLink> _links = new(StringComparer.Ordinal);
    private readonly Lock _create = new();
    private bool _disposed;

    /// <summary>Addresses with a link (live, draining excluded, or recently failed).</summary>
    public ICollection<string> Addresses => _links.Keys;

    /// <summary>The link to <paramref name="address"/> (connecting a new one if needed), or null when the directory no longer lists it.</summary>
    public BusPeerLink? Get(string address)
    {
        if (_links.TryGetValue(address, out var link) && !link.IsDead)
        {
            return link;
        }

        lock (_create)
        {
            if (_links.TryGetValue(address, out link) && (!link.IsDead || link.DiedWithin(router.Options.PeerRetryDelay)))
            {
                return link;
            }

            if (!router.Directory.ContainsAddress(address))
            {
                return null;
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

    /// <summary>
    /// Removes the links to addresses the directory no longer lists; each stops taking messages, finishes
    /// what it holds (queued messages written, in-flight ones answered) and closes, or is closed after
    /// <see cref="BusOptions.PeerDrainTimeout"/> (what is left then fails over like a broken link).
    /// </summary>
    public void Evict()
    {
        List<BusPeerLink>? removed = null;
        lock (_create)
        {
            foreach (var (address, link) in _links)
            {
                if (!router.Directory.ContainsAddress(address) && _links.TryRemove(new KeyValuePair<string, BusPeerLink>(address, link)))
                {
                    (removed ??= []).Add(link);
                }
            }
        }

        if (removed is not null)
        {
            foreach (var link in removed)
            {
                link.Drain(router.Options.PeerDrainTimeout);
            }
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
