// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Compiler;

/// <summary>An active policy left out of a service's snapshot because, with it, the snapshot does not compile; <paramref name="Errors"/> are the errors it causes.</summary>
internal sealed record QuarantinedPolicy(string PolicyId, string Version, IReadOnlyList<string> Errors);
