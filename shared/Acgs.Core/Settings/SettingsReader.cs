// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Core.Settings;

/// <summary>
/// The one way the processes read their settings (environment variables, or a configuration source that
/// maps the same names). Typed getters return the value, or the given default when the setting is unset
/// or blank, or the default again when the value is invalid — and then record one problem,
/// <c>NAME: what is wrong (got 'value')</c>. Reading never stops early and never throws: after reading
/// every setting, <see cref="Problems"/> lists them all, one line each, and the process refuses to start
/// (exit code 2); a problem found twice (two parts reading one setting) is listed once. Values of secret settings (<see cref="Secret"/>) are never shown. Booleans have one
/// grammar everywhere (<see cref="TryParseBool"/>). Values are trimmed.
/// </summary>
public sealed partial class SettingsReader
{
    /// <summary>Longest value echoed in a problem; longer ones are cut with an ellipsis.</summary>
    public const int MaxShownLength = 64;

    private readonly Func<string, string?> _source;
    private readonly List<string> _problems = [];

    /// <summary>A reader over <paramref name="source"/> (a name → its raw value, or null when unset).</summary>
    public SettingsReader(Func<string, string?> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>Every problem found so far, one line each, in reading order.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>True when no problem has been found.</summary>
    public bool IsValid => _problems.Count == 0;

    /// <summary>A reader over the process environment.</summary>
    public static SettingsReader FromEnvironment() => new(Environment.GetEnvironmentVariable);

    /// <summary>A reader over <paramref name="variables"/>.</summary>
    public static SettingsReader From(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new SettingsReader(name => variables.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>The trimmed value of <paramref name="name"/>, or null when it is unset or blank.</summary>
    public string? Raw(string name)
    {
        var value = _source(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>True when <paramref name="name"/> is set to something other than blanks.</summary>
    public bool IsSet(string name) => Raw(name) is not null;

    /// <summary>Records <c>NAME: what</c>.</summary>
    public void Report(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(what);
        Add(OneLine(name + ": " + what));
    }

    /// <summary>Records <c>NAME: what (got 'value')</c>; <paramref name="value"/> is cut and stripped of control characters.</summary>
    public void Report(string name, string what, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Report(name, what + " (got '" + Shown(value) + "')");
    }

    /// <summary>Records a problem that is not about one setting (e.g. two settings that contradict each other).</summary>
    public void ReportGeneral(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Add(OneLine(problem));
    }

    /// <summary>Records each of <paramref name="problems"/> as <c>NAME: problem</c> (e.g. a validator's messages).</summary>
    public void ReportAll(string name, IEnumerable<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in problems)
        {
            Report(name, problem);
        }
    }

    /// <summary>A text setting; <paramref name="fallback"/> when unset.</summary>
    public string Text(string name, string fallback) => Raw(name) ?? fallback;

    /// <summary>A text setting; null when unset.</summary>
    public string? OptionalText(string name) => Raw(name);

    /// <summary>
    /// A secret (token, key, password): null when unset; shorter than <paramref name="minLength"/> is a problem.
    /// A problem about it never shows the value.
    /// </summary>
    public string? Secret(string name, int minLength = 0)
    {
        var value = Raw(name);
        if (value is not null && value.Length < minLength)
        {
            Report(name, string.Create(CultureInfo.InvariantCulture, $"must be at least {minLength} characters (value not shown: it is a secret)"));
        }

        return value;
    }

    /// <summary>A comma-separated list (entries trimmed, empty entries dropped); <paramref name="fallback"/> when unset.</summary>
    public IReadOnlyList<string> List(string name, IReadOnlyList<string> fallback) =>
        Raw(name) is { } text ? SplitList(text) : fallback;

    /// <summary>Splits a comma-separated list: entries trimmed, empty ones dropped.</summary>
    public static string[] SplitList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary><paramref name="value"/> as a problem may show it: control characters as '?', at most <see cref="MaxShownLength"/> characters.</summary>
    public static string Shown(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var cut = value.Length > MaxShownLength ? value[..MaxShownLength] + "…" : value;
        return OneLine(cut);
    }

    // Two parts of a process may read the same setting (e.g. CONSTITUTIONAL_HASH): its problem is listed once.
    private void Add(string problem)
    {
        if (!_problems.Contains(problem))
        {
            _problems.Add(problem);
        }
    }

    private static string OneLine(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return string.Create(text.Length, text, static (span, source) =>
                {
                    for (var i = 0; i < source.Length; i++)
                    {
                        span[i] = char.IsControl(source[i]) ? '?' : source[i];
                    }
                });
            }
        }

        return text;
    }

    private static string I(double value) => value.ToString(CultureInfo.InvariantCulture);
}
