// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Validation;

/// <summary>The node-id rule of the control-plane API: 1–253 printable ASCII characters, no spaces (a host or pod name fits).</summary>
public static class NodeId
{
    /// <summary>Longest node id.</summary>
    public const int MaxLength = 253;

    /// <summary>What a bad node id is told (after its path).</summary>
    public const string Rule = "must be 1-253 printable ASCII characters";

    /// <summary>True when <paramref name="value"/> is a node id.</summary>
    public static bool IsValid(string? value) => IsPrintable(value, MaxLength);

    /// <summary>True when <paramref name="value"/> is 1–<paramref name="maxLength"/> characters from '!' to '~' (printable ASCII without space).</summary>
    public static bool IsPrintable(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return false;
        }

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
