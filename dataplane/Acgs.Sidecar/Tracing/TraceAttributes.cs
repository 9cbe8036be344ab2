// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tracing;

/// <summary>Span attribute names: OpenTelemetry's HTTP semantic conventions and the mesh's own (<c>acgs.*</c>).</summary>
internal static class TraceAttributes
{
    public const string Method = "http.request.method";
    public const string StatusCode = "http.response.status_code";
    public const string ResendCount = "http.request.resend_count";
    public const string UrlPath = "url.path";
    public const string UrlScheme = "url.scheme";
    public const string UrlFull = "url.full";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ClientAddress = "client.address";
    public const string ProtocolVersion = "network.protocol.version";
    public const string ErrorType = "error.type";

    public const string Service = "acgs.service";
    public const string Listener = "acgs.listener";
    public const string Cluster = "acgs.cluster";
    public const string Caller = "acgs.caller";
    public const string HashCheck = "acgs.hash_check";
    public const string Rule = "acgs.rule";
    public const string Authorization = "acgs.authorization";
    public const string AuthorizationRule = "acgs.authorization.rule";
    public const string FaultKind = "acgs.fault";
}
