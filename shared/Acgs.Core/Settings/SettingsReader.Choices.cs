// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.Settings;

/// <summary>Booleans, named choices and custom parsers.</summary>
public sealed partial class SettingsReader
{
    /// <summary>The boolean grammar, as problems state it.</summary>
    public const string BoolGrammar = "1, 0, true, false, yes, no, on or off";

    /// <summary>Parses <paramref name="text"/> into a value (a custom setting format).</summary>
    /// <typeparam name="T">The setting's type.</typeparam>
    public delegate bool Parser<T>(string text, out T value);

    /// <summary>
    /// The one boolean grammar: <c>1</c>, <c>true</c>, <c>yes</c>, <c>on</c> are true; <c>0</c>, <c>false</c>,
    /// <c>no</c>, <c>off</c> are false; case-insensitive, surrounding blanks ignored. Anything else is not a boolean.
    /// </summary>
    public static bool TryParseBool(string? text, out bool value)
    {
        value = false;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Equals("1", StringComparison.Ordinal) || trimmed.Equals("true", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("yes", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("on", StringComparison.OrdinalIgnoreCase))
        {
            value = true;
            return true;
        }

        return trimmed.Equals("0", StringComparison.Ordinal) || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("no", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("off", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A boolean (<see cref="TryParseBool"/>); <paramref name="fallback"/> when unset or invalid.</summary>
    public bool Bool(string name, bool fallback)
    {
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        if (TryParseBool(text, out var value))
        {
            return value;
        }

        Report(name, "must be " + BoolGrammar, text);
        return fallback;
    }

    /// <summary>
    /// One of an enum's members, named in lowercase (<c>Enforce</c> is <c>enforce</c>; case-insensitive);
    /// <paramref name="fallback"/> when unset or invalid.
    /// </summary>
    public T Enum<T>(string name, T fallback)
        where T : struct, Enum
    {
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        var names = System.Enum.GetNames<T>();
        foreach (var member in names)
        {
            if (member.Equals(text, StringComparison.OrdinalIgnoreCase))
            {
                return System.Enum.Parse<T>(member);
            }
        }

        Report(name, "must be " + Alternatives(names), text);
        return fallback;
    }

    /// <summary>
    /// A value in a custom format: <paramref name="parse"/> decides; when it refuses, the problem says the value
    /// <c>must be </c><paramref name="expected"/>. <paramref name="fallback"/> when unset or invalid.
    /// </summary>
    public T Parse<T>(string name, T fallback, Parser<T> parse, string expected)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(expected);
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        Report(name, "must be " + expected, text);
        return fallback;
    }

    /// <summary><c>a, b or c</c> in lowercase.</summary>
    public static string Alternatives(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var lower = new string[names.Count];
        for (var i = 0; i < lower.Length; i++)
        {
            lower[i] = names[i].ToLowerInvariant();
        }

        return lower.Length <= 1 ? string.Concat(lower) : string.Join(", ", lower[..^1]) + " or " + lower[^1];
    }
}
