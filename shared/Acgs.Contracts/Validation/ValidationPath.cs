// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Contracts.Validation;

/// <summary>Builds JSON paths for <see cref="ValidationError.Path"/>.</summary>
public static class ValidationPath
{
    /// <summary><c>parent.name</c>, or <c>name</c> when <paramref name="parent"/> is empty.</summary>
    public static string Child(string parent, string name)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return parent.Length == 0 ? name : parent + "." + name;
    }

    /// <summary><c>parent[index]</c>.</summary>
    public static string Index(string parent, int index)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");
    }
}
