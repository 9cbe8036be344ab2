// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.ControlPlane.Policies;

namespace Acgs.ControlPlane.Store;

/// <summary>
/// Whether a stored policy is what the registry wrote: every version's <c>content_sha256</c> must be the SHA-256 of
/// its stored content. A mismatch means the store was edited outside the control plane (a hand-edited state file, a
/// write to Redis), and that policy is never served.
/// </summary>
internal static class PolicyIntegrity
{
    /// <summary>The first version of <paramref name="policy"/> whose content does not hash to its <c>content_sha256</c>, or null.</summary>
    public static PolicyVersionRecord? FirstMismatch(PolicyRecord policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        foreach (var version in policy.Versions)
        {
            if (!string.Equals(CanonicalJson.Sha256(Encoding.UTF8.GetBytes(version.Content ?? string.Empty)), version.ContentSha256, StringComparison.Ordinal))
            {
                return version;
            }
        }

        return null;
    }

    /// <summary>One line naming <paramref name="source"/>, the policy and the version.</summary>
    public static string Describe(string source, PolicyRecord policy, PolicyVersionRecord version) =>
        $"{source}: policy '{policy.Id}' version {version.Version}: its content does not hash to its content_sha256 {version.ContentSha256} (edited outside the control plane); refusing to serve it";
}
