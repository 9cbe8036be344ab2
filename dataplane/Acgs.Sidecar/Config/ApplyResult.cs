// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Config;

/// <summary>Outcome of <see cref="ConfigApplier.ApplyAsync"/>: accepted, or rejected with every error.</summary>
/// <param name="Accepted">True when the snapshot is now active.</param>
/// <param name="Version">The snapshot's version.</param>
/// <param name="Errors">Why it was rejected (empty when accepted).</param>
internal sealed record ApplyResult(bool Accepted, string Version, IReadOnlyList<string> Errors)
{
    /// <summary>An accepted result.</summary>
    public static ApplyResult Ok(string version) => new(true, version, []);

    /// <summary>A rejected result.</summary>
    public static ApplyResult Rejected(string version, IReadOnlyList<string> errors) => new(false, version, errors);
}
