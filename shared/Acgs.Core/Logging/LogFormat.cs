// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Core.Logging;

/// <summary>How a process writes its log to stdout (<c>ACGS_LOG_FORMAT</c>).</summary>
public enum LogFormat
{
    /// <summary>One line per entry: UTC timestamp, level, category[event id], message.</summary>
    Text,

    /// <summary>One JSON object per line (<see cref="JsonLineFormatter"/>).</summary>
    Json,
}
