// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Acgs.Sidecar.Config;

/// <summary>One immutable YARP config; its change token fires when the next one replaces it.</summary>
internal sealed class AcgsProxyConfig : IProxyConfig, IDisposable
{
    private readonly CancellationTokenSource _changed = new();

    /// <summary>Creates a config.</summary>
    public AcgsProxyConfig(string revisionId, IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters)
    {
        RevisionId = revisionId;
        Routes = routes;
        Clusters = clusters;
        ChangeToken = new CancellationChangeToken(_changed.Token);
    }

    /// <summary>An empty config (before the first snapshot is applied).</summary>
    public static AcgsProxyConfig Empty() => new("empty", [], []);

    /// <inheritdoc />
    public string RevisionId { get; }

    /// <inheritdoc />
    public IReadOnlyList<RouteConfig> Routes { get; }

    /// <inheritdoc />
    public IReadOnlyList<ClusterConfig> Clusters { get; }

    /// <inheritdoc />
    public IChangeToken ChangeToken { get; }

    /// <summary>Tells YARP this config has been replaced.</summary>
    public void SignalChanged() => _changed.Cancel();

    /// <inheritdoc />
    public void Dispose() => _changed.Dispose();
}
