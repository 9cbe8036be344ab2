// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Injection;

/// <summary>One header of an <see cref="AppProbeTarget"/> (Kubernetes <c>httpHeaders</c>).</summary>
public sealed record AppProbeHeader(string Name, string Value);
