// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Config;

/// <summary>Outcome of reading the command line, the environment and the bootstrap file.</summary>
internal sealed record BootstrapResult
{
    /// <summary>The bootstrap when there were no errors.</summary>
    public SidecarBootstrap? Bootstrap { get; init; }

    /// <summary>The message-bus settings when there were no errors.</summary>
    public Bus.BusOptions? Bus { get; init; }

    /// <summary>The bus's offline-store Redis settings (with <c>REDIS_URL</c>), or null.</summary>
    public Acgs.Core.Redis.RedisOptions? BusRedis { get; init; }

    /// <summary>Every problem found (empty on success), one line each.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>True when <c>--help</c> was given.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>True when <c>--check-config</c> was given: validate and exit.</summary>
    public bool CheckOnly { get; init; }
}
