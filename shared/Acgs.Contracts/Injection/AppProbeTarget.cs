// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;

namespace Acgs.Contracts.Injection;

/// <summary>
/// An app container's original HTTP probe, moved behind the sidecar's admin port by injection: the kubelet calls
/// <c>/app-health/&lt;container&gt;/livez|readyz|startupz</c> on the admin port, and the sidecar calls this on
/// 127.0.0.1. The injector writes a map of admin path to target as the sidecar's <c>ACGS_APP_PROBES</c> (JSON).
/// </summary>
public sealed record AppProbeTarget
{
    /// <summary>The app's port (a named port is resolved by the injector).</summary>
    public required int Port { get; init; }

    /// <summary>The original probe's path, with its query (default <c>/</c>).</summary>
    public string Path { get; init; } = "/";

    /// <summary>The original probe's timeout (Kubernetes default 1 s).</summary>
    public int TimeoutSeconds { get; init; } = 1;

    /// <summary>The original probe's HTTP headers.</summary>
    public ImmutableArray<AppProbeHeader> Headers { get; init; } = [];
}
