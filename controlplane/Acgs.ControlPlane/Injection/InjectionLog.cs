// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Injection;

/// <summary>Log messages of the injection webhook (event ids 5800-5809).</summary>
internal static partial class InjectionLog
{
    [LoggerMessage(5800, LogLevel.Information, "[cdd01ef066bc6cf2] injection webhook listening on https://{Address}:{Port} (POST /inject, POST /inject/namespace-enabled); certificate {Subject}, valid until {NotAfter:u}")]
    public static partial void ListenerOn(ILogger logger, string address, int port, string subject, DateTime notAfter);

    [LoggerMessage(5801, LogLevel.Information, "[cdd01ef066bc6cf2] injection webhook listener off: ACGS_WEBHOOK_CERT and ACGS_WEBHOOK_KEY are not set{ApiPortNote}")]
    public static partial void ListenerOff(ILogger logger, string apiPortNote);

    [LoggerMessage(5802, LogLevel.Warning, "[cdd01ef066bc6cf2] injection webhook also served on the plain-HTTP API port (ACGS_WEBHOOK_ON_API_PORT=true)")]
    public static partial void ServedOnApiPort(ILogger logger);

    [LoggerMessage(5803, LogLevel.Debug, "injection review {Uid}: pod {Pod} in {Namespace}: {Reason}")]
    public static partial void Reviewed(ILogger logger, string uid, string pod, string @namespace, string reason);

    [LoggerMessage(5804, LogLevel.Warning, "injection review refused (400): {Error}")]
    public static partial void Malformed(ILogger logger, string error);

    [LoggerMessage(5805, LogLevel.Information, "[cdd01ef066bc6cf2] injection webhook certificate reloaded: {Subject}, valid until {NotAfter:u}")]
    public static partial void CertificateReloaded(ILogger logger, string subject, DateTime notAfter);

    [LoggerMessage(5806, LogLevel.Warning, "injection webhook certificate files changed but could not be loaded, keeping the previous certificate: {Error}")]
    public static partial void CertificateReloadFailed(ILogger logger, string error);
}
