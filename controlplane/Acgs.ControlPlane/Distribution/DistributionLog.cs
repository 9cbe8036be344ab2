// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Distribution;

/// <summary>Log messages of config distribution (stable event ids 5100–5199).</summary>
internal static partial class DistributionLog
{
    [LoggerMessage(5100, LogLevel.Information, "[cdd01ef066bc6cf2] sidecar {Service}/{Node} connected from {Address}")]
    public static partial void Connected(ILogger logger, string service, string node, string address);

    [LoggerMessage(5101, LogLevel.Information, "[cdd01ef066bc6cf2] sidecar {Service}/{Node} disconnected")]
    public static partial void Disconnected(ILogger logger, string service, string node);

    [LoggerMessage(5102, LogLevel.Warning, "[cdd01ef066bc6cf2] sidecar {Service}/{Node} rejected snapshot {Version}: {Errors}")]
    public static partial void Nacked(ILogger logger, string service, string node, string? version, string errors);

    [LoggerMessage(5103, LogLevel.Error, "[cdd01ef066bc6cf2] snapshot for {Service} does not compile; the previous one stays: {Errors}")]
    public static partial void CompileFailed(ILogger logger, string service, string errors);

    [LoggerMessage(5104, LogLevel.Warning, "[cdd01ef066bc6cf2] rebuilding snapshots failed; retrying")]
    public static partial void RebuildFailed(ILogger logger, Exception exception);

    [LoggerMessage(5105, LogLevel.Information, "[cdd01ef066bc6cf2] change converged on {Count} sidecar(s) in {Milliseconds} ms")]
    public static partial void Converged(ILogger logger, int count, double milliseconds);

    [LoggerMessage(5106, LogLevel.Warning, "[cdd01ef066bc6cf2] Redis change bus unavailable")]
    public static partial void BusFailed(ILogger logger, Exception exception);

    [LoggerMessage(5107, LogLevel.Warning, "[cdd01ef066bc6cf2] policy {Policy}@{Version} is quarantined for {Count} service(s) (left out of their snapshots; retried on every rebuild), e.g. {Service}: {Errors}")]
    public static partial void Quarantined(ILogger logger, string policy, string version, int count, string service, string errors);

    [LoggerMessage(5108, LogLevel.Information, "[cdd01ef066bc6cf2] policy {Policy} compiles again and left quarantine")]
    public static partial void Released(ILogger logger, string policy);
}
