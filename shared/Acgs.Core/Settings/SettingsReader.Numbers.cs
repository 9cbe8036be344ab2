// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Core.Settings;

/// <summary>Whole numbers, numbers and durations.</summary>
public sealed partial class SettingsReader
{
    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when unset or invalid.</summary>
    public int WholeNumber(string name, int fallback, int min, int max) => OptionalWholeNumber(name, min, max) ?? fallback;

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>]; null when unset or invalid.</summary>
    public int? OptionalWholeNumber(string name, int min, int max)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Report(name, $"must be a whole number from {I(min)} to {I(max)}", text);
        return null;
    }

    /// <summary>A number (decimal point '.') in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="fallback"/> when unset or invalid.</summary>
    public double Number(string name, double fallback, double min, double max) => OptionalNumber(name, min, max, "a number") ?? fallback;

    /// <summary>
    /// A duration in whole milliseconds in [<paramref name="min"/>, <paramref name="max"/>] (a variable named <c>..._MS</c>);
    /// <paramref name="fallback"/> when unset or invalid.
    /// </summary>
    public TimeSpan Milliseconds(string name, TimeSpan fallback, int min, int max)
    {
        if (Raw(name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return TimeSpan.FromMilliseconds(value);
        }

        Report(name, $"must be a whole number of milliseconds from {I(min)} to {I(max)}", text);
        return fallback;
    }

    /// <summary>
    /// A duration in seconds, fractions allowed, in [<paramref name="min"/>, <paramref name="max"/>] (a variable named
    /// <c>..._SECONDS</c>); <paramref name="fallback"/> when unset or invalid.
    /// </summary>
    public TimeSpan Seconds(string name, TimeSpan fallback, double min, double max) => OptionalSeconds(name, min, max) ?? fallback;

    /// <summary>A duration in seconds, fractions allowed, in [<paramref name="min"/>, <paramref name="max"/>]; null when unset or invalid.</summary>
    public TimeSpan? OptionalSeconds(string name, double min, double max) =>
        OptionalNumber(name, min, max, "a number of seconds") is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    private double? OptionalNumber(string name, double min, double max, string what)
    {
        if (Raw(name) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min && value <= max)
        {
            return value;
        }

        Report(name, $"must be {what} from {I(min)} to {I(max)}", text);
        return null;
    }
}
