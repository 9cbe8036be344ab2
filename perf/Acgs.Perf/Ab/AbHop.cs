// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Ab;

/// <summary>The hop between the two sidecars of a pair variant.</summary>
internal enum AbHop
{
    /// <summary>Plaintext HTTP: the client sidecar's <c>MutualTls</c> mode is <c>disabled</c>.</summary>
    Plaintext,

    /// <summary>Mutual TLS: the server sidecar's <c>MutualTls</c> mode is <c>strict</c> (a plaintext hop would fail).</summary>
    Mtls,
}
