// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Testing.Redis;

/// <summary>Finds the <c>redis-server</c> executable.</summary>
public static class RedisServerExecutable
{
    /// <summary>Environment variable naming the executable explicitly.</summary>
    public const string PathVariable = "REDIS_SERVER_PATH";

    private const string InstallHint = "Run ./acgs test, which installs it (apt-get install redis-server), or install redis-server yourself.";

    /// <summary>
    /// <paramref name="explicitPath"/>, else <c>REDIS_SERVER_PATH</c> (an explicitly named file must exist), else
    /// <c>redis-server</c> on <c>PATH</c>, else <c>/usr/bin/redis-server</c> or <c>/usr/local/bin/redis-server</c>;
    /// throws <see cref="RedisServerStartException"/> saying how to install it when none exists.
    /// </summary>
    public static string Find(string? explicitPath = null)
    {
        var named = !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath : Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(named))
        {
            return File.Exists(named)
                ? named
                : throw new RedisServerStartException($"redis-server was not found at '{named}'. {InstallHint}");
        }

        var candidates = new List<string>();
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            candidates.Add(Path.Combine(directory, "redis-server"));
        }

        candidates.Add("/usr/bin/redis-server");
        candidates.Add("/usr/local/bin/redis-server");
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new RedisServerStartException($"redis-server was not found on PATH, in /usr/bin or in /usr/local/bin. {InstallHint}");
    }
}
