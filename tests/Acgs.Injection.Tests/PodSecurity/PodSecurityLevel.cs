// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Injection.Tests.PodSecurity;

/// <summary>The Kubernetes Pod Security Standards levels.</summary>
internal enum PodSecurityLevel
{
    Privileged,
    Baseline,
    Restricted,
}
