// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Discovery;

/// <summary>Name rules shared with the config snapshot contract.</summary>
internal static class Naming
{
    /// <summary>1–253 characters of a-z, 0-9, '-', '.', '_' (a service name).</summary>
    public static bool IsName(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 253)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Printable ASCII only.</summary>
    public static bool IsPrintable(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
