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

/// <summary>Start-up log of what <see cref="ResidentTrim"/> gave back.</summary>
internal static partial class ResidentTrimLog
{
    /// <summary>Logs the trim's result (nothing when it is off).</summary>
    public static void Trimmed(ILogger logger, TrimResult? result)
    {
        if (result is not null)
        {
            Trimmed(logger, result.FileBytesDropped / 1024, result.Mappings, result.NativeHeapTrimmed);
        }
    }

    [LoggerMessage(EventId = 142, Level = LogLevel.Information, Message = "resident trim after start: {Kilobytes} KiB of read-only file pages dropped from {Mappings} mappings, native heap trimmed: {NativeHeapTrimmed} (ACGS_TRIM_AFTER_START=false turns it off)")]
    private static partial void Trimmed(ILogger logger, long kilobytes, int mappings, bool nativeHeapTrimmed);
}
