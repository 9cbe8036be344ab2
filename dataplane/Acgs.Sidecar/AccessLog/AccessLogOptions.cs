// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Logging;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.AccessLog;

/// <summary>
/// The access log: <c>ACGS_ACCESS_LOG</c> (<c>off</c>, the default; <c>stdout</c>; or an absolute file path, appended
/// to), <c>ACGS_ACCESS_LOG_SAMPLE</c> (the share of requests logged, 0 to 1, default 1; a response with status 500 or
/// more is always logged) and <c>ACGS_ACCESS_LOG_FORMAT</c> (<c>json</c> or <c>text</c>; default: the format of
/// <c>ACGS_LOG_FORMAT</c>).
/// </summary>
/// <param name="Target">Null when off, <c>stdout</c>, or the file's path.</param>
/// <param name="Sample">The share of requests with a status below 500 that are logged.</param>
/// <param name="Format">The line format.</param>
internal sealed record AccessLogOptions(string? Target, double Sample, LogFormat Format)
{
    public const string TargetVariable = "ACGS_ACCESS_LOG";
    public const string SampleVariable = "ACGS_ACCESS_LOG_SAMPLE";
    public const string FormatVariable = "ACGS_ACCESS_LOG_FORMAT";
    public const string Stdout = "stdout";

    /// <summary>Lines waiting to be written at most; past it a line is dropped and counted.</summary>
    public const int QueueCapacity = 8192;

    /// <summary>The access log off.</summary>
    public static AccessLogOptions Off { get; } = new(null, 1.0, LogFormat.Text);

    /// <summary>True when lines are written.</summary>
    public bool Enabled => Target is not null;

    /// <summary>Reads the variables; <paramref name="logFormat"/> is the default format. Every invalid value is a problem of <paramref name="settings"/>.</summary>
    public static AccessLogOptions Read(SettingsReader settings, LogFormat logFormat)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var target = settings.Parse<string?>(TargetVariable, null, TryParseTarget, "'off', 'stdout' or an absolute file path");
        var sample = settings.Number(SampleVariable, 1.0, 0.0, 1.0);
        var format = settings.Enum(FormatVariable, logFormat);
        return new AccessLogOptions(target, sample, format);
    }

    private static bool TryParseTarget(string text, out string? target)
    {
        target = null;
        if (text.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (text.Equals(Stdout, StringComparison.OrdinalIgnoreCase))
        {
            target = Stdout;
            return true;
        }

        if (Path.IsPathFullyQualified(text) && text.IndexOfAny(Path.GetInvalidPathChars()) < 0 && !text.EndsWith('/'))
        {
            target = text;
            return true;
        }

        return false;
    }
}
