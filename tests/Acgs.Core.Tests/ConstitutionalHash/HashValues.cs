// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.Tests.ConstitutionalHash;

/// <summary>Test values derived at runtime from the real hash (so no other hash literal is committed).</summary>
internal static class HashValues
{
    public const string Expected = AcgsConstants.ConstitutionalHash;

    /// <summary>The expected hash with the hex digit at <paramref name="position"/> replaced by another hex digit.</summary>
    public static string OneOff(int position, int shift = 1)
    {
        const string Hex = "0123456789abcdef";
        var chars = Expected.ToCharArray();
        chars[position] = Hex[(Hex.IndexOf(chars[position], StringComparison.Ordinal) + shift) % 16];
        return new string(chars);
    }

    /// <summary>The expected hash with the character at <paramref name="position"/> replaced by <paramref name="c"/>.</summary>
    public static string With(int position, char c)
    {
        var chars = Expected.ToCharArray();
        chars[position] = c;
        return new string(chars);
    }
}
