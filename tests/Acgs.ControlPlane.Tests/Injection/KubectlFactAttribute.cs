// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>A fact that needs <c>kubectl</c> (Debian package kubectl; <c>./acgs test</c> installs it): skipped when it is not on the PATH.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = "kubectl is not installed (./acgs test installs it with apt)";
        }
    }
}
