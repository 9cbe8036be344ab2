// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.TrafficSplit;

/// <summary>
/// How a split route is encoded in YARP route metadata: one YARP route per weighted cluster, all with the
/// same match, each carrying <c>acgs.split = "&lt;group&gt;/&lt;share&gt;/&lt;weight&gt;"</c> (group = the snapshot route
/// index, share = the position in <c>weighted_clusters</c>, which fixes the order draws are mapped in).
/// </summary>
internal static class TrafficSplitMetadata
{
    /// <summary>The route metadata key.</summary>
    public const string Key = "acgs.split";

    /// <summary>The metadata value of a share.</summary>
    public static string Format(int group, int share, int weight) => string.Create(CultureInfo.InvariantCulture, $"{group}/{share}/{weight}");

    /// <summary>Reads the split group, share index and weight of <paramref name="endpoint"/>; false when it is not a split route. Allocation-free.</summary>
    public static bool TryGet(Endpoint endpoint, out int group, out int share, out int weight)
    {
        group = 0;
        share = 0;
        weight = 0;
        var metadata = endpoint.Metadata.GetMetadata<RouteModel>()?.Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(Key, out var value))
        {
            return false;
        }

        var span = value.AsSpan();
        var first = span.IndexOf('/');
        if (first <= 0 || !int.TryParse(span[..first], NumberStyles.None, CultureInfo.InvariantCulture, out group))
        {
            return false;
        }

        span = span[(first + 1)..];
        var second = span.IndexOf('/');
        return second > 0
            && int.TryParse(span[..second], NumberStyles.None, CultureInfo.InvariantCulture, out share)
            && int.TryParse(span[(second + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out weight);
    }
}
