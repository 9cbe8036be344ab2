// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Testing.Redis;

/// <summary>How <see cref="RedisServer"/> starts <c>redis-server</c>.</summary>
public sealed record RedisServerOptions
{
    /// <summary>No persistence, free port, 15 s start timeout.</summary>
    public static RedisServerOptions Default { get; } = new();

    /// <summary>
    /// A directory for persistence tests: when set, the server runs with <c>--dir</c> on it and
    /// <c>--appendonly yes --appendfsync always</c>, so data survives <see cref="RedisServer.StopAsync"/> (even a kill)
    /// and a restart. When <see langword="null"/> (default) nothing is written to disk.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>The port to listen on; 0 (default) picks a free loopback port once, kept across restarts.</summary>
    public int Port { get; init; }

    /// <summary>How long to wait for the server to answer <c>PING</c>. Default 15 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra command-line arguments, e.g. <c>["--requirepass", "secret"]</c>.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>The executable; <see langword="null"/> searches <c>REDIS_SERVER_PATH</c>, then <c>PATH</c>, then <c>/usr/bin</c>.</summary>
    public string? ExecutablePath { get; init; }
}
