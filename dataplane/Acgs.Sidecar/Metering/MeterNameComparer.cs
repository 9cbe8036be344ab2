// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Ordinal string comparison that also looks strings up by a span of chars or of bytes (bus fields are UTF-8; a byte
/// equals the char of the same value), with one hash for all three forms, so <see cref="MeterNames"/> finds a name without
/// building a string. The hash is the runtime's randomized string hash (a per-process seed): callers choose tenants and
/// paths, and must not be able to pick names that all land in one bucket. Names longer than
/// <see cref="MeterNames.MaxNameLength"/> are never stored, so their hash is their length.
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

    public int GetHashCode(ReadOnlySpan<char> alternate) =>
        alternate.Length > MeterNames.MaxNameLength ? alternate.Length : string.GetHashCode(alternate, StringComparison.Ordinal);

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
        if (alternate.Length > MeterNames.MaxNameLength)
        {
            return alternate.Length;
        }

        Span<char> chars = stackalloc char[alternate.Length];
        for (var i = 0; i < alternate.Length; i++)
        {
            chars[i] = (char)alternate[i];
        }

        return GetHashCode(chars);
    }

    public string Create(ReadOnlySpan<byte> alternate) => System.Text.Encoding.ASCII.GetString(alternate);
}
