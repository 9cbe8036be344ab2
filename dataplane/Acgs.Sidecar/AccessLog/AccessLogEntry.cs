// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Sidecar.AccessLog;

/// <summary>
/// One request as the access log writes it: only references to strings the request already holds and numbers, so
/// taking it allocates nothing; the line is formatted later on the writer's thread.
/// </summary>
internal readonly record struct AccessLogEntry
{
    public DateTimeOffset Start { get; init; }

    public double DurationMs { get; init; }

    /// <summary>Time spent waiting for the upstream; negative when the request was not forwarded.</summary>
    public double UpstreamMs { get; init; }

    public string Listener { get; init; }

    public string Method { get; init; }

    /// <summary>The path without the query (a query may carry secrets).</summary>
    public string Path { get; init; }

    public string Protocol { get; init; }

    public int Status { get; init; }

    /// <summary>Why the sidecar could not get a response from the upstream (YARP's forwarder error), or null.</summary>
    public string? UpstreamError { get; init; }

    public long? BytesReceived { get; init; }

    public long? BytesSent { get; init; }

    public string? Authority { get; init; }

    public string? UserAgent { get; init; }

    public string? RequestId { get; init; }

    public string? Cluster { get; init; }

    public string? UpstreamHost { get; init; }

    public string? Caller { get; init; }

    public ActivityTraceId TraceId { get; init; }
}
