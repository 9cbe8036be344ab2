// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Hosting;

/// <summary>Start-up log of the runtime settings (<see cref="RuntimeSettings"/>) and listener limits (<see cref="ListenerLimits"/>) in effect.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "runtime: {Settings}")]
    public static partial void Runtime(ILogger logger, string settings);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "limits: {Limits}")]
    public static partial void Limits(ILogger logger, string limits);
}
