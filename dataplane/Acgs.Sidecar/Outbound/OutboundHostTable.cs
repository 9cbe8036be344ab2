// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using Acgs.Contracts.Config;
using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.Outbound;

/// <summary>
/// The hosts each outbound route is registered under (<see cref="ServiceHostForms"/>), computed once per applied
/// snapshot. A host written in a route belongs to that route; a derived form is given to the first route that derives
/// it and is not written in another route with the same path prefix — so <c>echo</c> and <c>echo.default</c> in one
/// snapshot never make two routes match one request.
/// </summary>
internal static class OutboundHostTable
{
    /// <summary>The hosts of each route of <paramref name="routes"/>, in order.</summary>
    public static string[][] Build(ImmutableArray<OutboundRoute> routes, string ownNamespace, string clusterDomain)
    {
        var claimed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var route in routes)
        {
            _ = claimed.Add(Key(route.Host, route.PathPrefix));
        }

        var result = new string[routes.Length][];
        for (var i = 0; i < routes.Length; i++)
        {
            var route = routes[i];
            var forms = ServiceHostForms.For(route.Host, ownNamespace, clusterDomain);
            var hosts = new List<string>(forms.Count) { route.Host };
            for (var f = 1; f < forms.Count; f++)
            {
                if (claimed.Add(Key(forms[f], route.PathPrefix)))
                {
                    hosts.Add(forms[f]);
                }
            }

            result[i] = [.. hosts];
        }

        return result;
    }

    private static string Key(string host, string? pathPrefix) => host + " " + ProxyConfigBuilder.PathTemplate(pathPrefix);
}
