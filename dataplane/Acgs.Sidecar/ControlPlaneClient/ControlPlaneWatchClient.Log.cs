// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>The watch client's log events (700-704).</summary>
internal sealed partial class ControlPlaneWatchClient
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] watching the control plane at {Url}")]
    private partial void LogConnected(string url);

    [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] control-plane stream ended ({Kind}: {Reason}); previous config keeps serving, reconnecting with backoff")]
    private partial void LogStreamFailed(string kind, string reason);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] snapshot {Version} rejected (NACK); previous config keeps serving: {Errors}")]
    private partial void LogNacked(string version, string errors);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] last-known-good snapshot {Version} applied at start: {Accepted}")]
    private partial void LogLastKnownGood(string version, bool accepted);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] no last-known-good snapshot used at start ({Reason}); serving the bootstrap config")]
    private partial void LogNoLastKnownGood(string reason);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "[cdd01ef066bc6cf2] the control plane's ACK stream ended; answering by POST until the next watch, the ACK of the applied version {Version} sent again")]
    private partial void LogAckStreamLost(string version);

    [LoggerMessage(EventId = 709, Level = LogLevel.Warning, Message = "[cdd01ef066bc6cf2] last-known-good file {Path} not written ({Reason}); the snapshot serves, but a restart without the control plane will not find it")]
    private partial void LogLastKnownGoodNotWritten(string path, string reason);
}
