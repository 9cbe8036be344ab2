// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>
/// A fact that needs root, <c>ip</c>, <c>iptables-restore</c> and <c>setpriv</c> (network namespaces and
/// nat rules). Without them it is skipped — except under CI (<c>CI</c> set), where it runs and fails
/// with the reason, so a CI image that lost a package cannot go green silently.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetnsFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the environment cannot run the test outside CI.</summary>
    public NetnsFactAttribute()
    {
        if (NetworkNamespace.Unavailable() is { } reason && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Skip = reason;
        }
    }
}
