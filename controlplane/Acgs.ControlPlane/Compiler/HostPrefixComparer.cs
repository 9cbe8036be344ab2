// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Compiler;

/// <summary>Compares (host, prefix key) pairs: the host case-insensitively, the prefix key (already normalized) ordinally.</summary>
internal sealed class HostPrefixComparer : IEqualityComparer<(string Host, string Prefix)>
{
    /// <summary>The instance.</summary>
    public static HostPrefixComparer Instance { get; } = new();

    public bool Equals((string Host, string Prefix) x, (string Host, string Prefix) y) =>
        StringComparer.OrdinalIgnoreCase.Equals(x.Host, y.Host) && StringComparer.Ordinal.Equals(x.Prefix, y.Prefix);

    public int GetHashCode((string Host, string Prefix) obj) =>
        HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Host), StringComparer.Ordinal.GetHashCode(obj.Prefix));
}
