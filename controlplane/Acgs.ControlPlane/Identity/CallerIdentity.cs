// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Identity;

/// <summary>The identity a credential proved: the SPIFFE ID to write, the credential kind and extra audit detail (e.g. the join token's id).</summary>
internal sealed record CallerIdentity(string SpiffeId, string Credential, string Detail);
