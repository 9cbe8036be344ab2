// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Injection;

/// <summary>Whether a pod gets the sidecar, and why (the reason is logged and shown by acgsctl).</summary>
/// <param name="Inject">True when the pod is to be injected.</param>
/// <param name="Reason">A short human-readable reason, e.g. <c>skipped: hostNetwork pod</c>.</param>
public sealed record InjectionDecision(bool Inject, string Reason);
