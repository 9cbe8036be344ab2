// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Ordinal string comparison that also looks strings up by a span of chars or of ASCII bytes (bus fields are UTF-8), with
/// one hash for all three forms, so <see cref="MeterNames"/> finds a name without building a string.
/// </summary>
internal sealed class MeterNameComparer :
    IEqualityComparer<string>,
    IAlternateEqualityComparer<ReadOnlySpan<char>, string>,
    IAlternateEqualityComparer<ReadOnlySpan<byte>, string>
{
    public static MeterNameComparer Instance { get; } = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) => GetHashCode(obj.AsSpan());

    public bool Equals(ReadOnlySpan<char> alternate, string other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<char> alternate)
    {
        var hash = 5381u;
        foreach (var c in alternate)
        {
            hash = ((hash << 5) + hash) ^ c;
        }

        return (int)hash;
    }

    public string Create(ReadOnlySpan<char> alternate) => alternate.ToString();

    public bool Equals(ReadOnlySpan<byte> alternate, string other)
    {
        if (alternate.Length != other.Length)
        {
            return false;
        }

        for (var i = 0; i < alternate.Length; i++)
        {
            if (alternate[i] != other[i])
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(ReadOnlySpan<byte> alternate)
    {
        var hash = 5381u;
        foreach (var b in alternate)
        {
            hash = ((hash << 5) + hash) ^ b;
        }

        return (int)hash;
    }

    public string Create(ReadOnlySpan<byte> alternate) => System.Text.Encoding.ASCII.GetString(alternate);
}
