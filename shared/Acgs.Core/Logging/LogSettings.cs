// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;

namespace Acgs.Core.Logging;

/// <summary>Reads the log format of a process: <c>ACGS_LOG_FORMAT=json|text</c>; unset, JSON in a container, else text.</summary>
public static class LogSettings
{
    /// <summary>The setting's name.</summary>
    public const string FormatVariable = "ACGS_LOG_FORMAT";

    /// <summary>Set to <c>true</c> by the official .NET container images.</summary>
    public const string ContainerVariable = "DOTNET_RUNNING_IN_CONTAINER";

    /// <summary>The format; an invalid value is recorded as a problem of <paramref name="settings"/>.</summary>
    public static LogFormat ReadFormat(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var inContainer = SettingsReader.TryParseBool(settings.Raw(ContainerVariable), out var container) && container;
        return settings.Enum(FormatVariable, inContainer ? LogFormat.Json : LogFormat.Text);
    }
}
