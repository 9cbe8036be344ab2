// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Redis;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.Bus;

/// <summary>Reads the bus settings and, when <c>REDIS_URL</c> is set, the offline store's Redis settings.</summary>
public static class BusEnvironment
{
    /// <summary>Every problem is reported at once in <paramref name="errors"/>; false when there is any.</summary>
    public static bool TryRead(IReadOnlyDictionary<string, string?> variables, out BusOptions options, out RedisOptions? redis, out IReadOnlyList<string> errors)
    {
        var settings = SettingsReader.From(variables);
        options = Read(settings, out redis);
        errors = settings.Problems;
        return settings.IsValid;
    }

    /// <summary>Reads the bus settings and, with <c>REDIS_URL</c>, the store's (null otherwise or when invalid) through <paramref name="settings"/>.</summary>
    public static BusOptions Read(SettingsReader settings, out RedisOptions? redis)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = BusOptions.Read(settings);
        redis = null;
        if (options.UseStore)
        {
            var before = settings.Problems.Count;
            var parsed = RedisOptions.Read(settings);
            redis = settings.Problems.Count == before ? parsed : null;
        }

        return options;
    }
}
