// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Redis;

namespace Acgs.Sidecar.Bus;

/// <summary>Reads the bus settings and, when <c>REDIS_URL</c> is set, the offline store's Redis settings.</summary>
public static class BusEnvironment
{
    /// <summary>Every problem is reported at once in <paramref name="errors"/>; false when there is any.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string?> variables, out BusOptions options, out RedisOptions? redis, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(variables);
        options = BusOptions.FromEnvironment(variables, out var busErrors);
        var all = new List<string>(busErrors);
        redis = null;
        if (options.UseStore)
        {
            if (RedisOptions.TryParse(variables, out var parsed, out var redisErrors))
            {
                redis = parsed;
            }
            else
            {
                all.AddRange(redisErrors);
            }
        }

        errors = all;
        return all.Count == 0;
    }
}
