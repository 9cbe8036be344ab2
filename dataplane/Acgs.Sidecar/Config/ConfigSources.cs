// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Config;

/// <summary>Names of where a snapshot came from (shown by <c>/config_dump</c>).</summary>
internal static class ConfigSources
{
    /// <summary>The built-in default (no config file).</summary>
    public const string Embedded = "embedded";

    /// <summary>The bootstrap file, read at start.</summary>
    public const string Bootstrap = "bootstrap";

    /// <summary>The bootstrap file, re-read after it changed.</summary>
    public const string File = "file";

    /// <summary>The control plane's config stream.</summary>
    public const string ControlPlane = "control-plane";
}
