// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Acgs.Sidecar.Tracing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>
/// The client span of a traced request on the direct path, made as <see cref="ClientSpanHandler"/> makes it on YARP's
/// path while tracing is on (there every cluster client has that handler and no <c>ActivityHeadersPropagator</c>, so
/// HttpClient starts no activity of its own and writes no trace header): <c>upstream</c>, kind client, a child of the
/// request's server span, with the same tags; its context replaces the caller's <c>traceparent</c>/<c>tracestate</c>
/// in the request head (<see cref="Http1RequestWriter.WriteTraceContext"/>). It ends when the response head is read
/// or the exchange failed, before the outcome is recorded (the breaker's events go on the server span, as there).
/// </summary>
internal static class DirectClientSpan
{
    private const string Name = "upstream";
    private const string Canceled = "System.Threading.Tasks.TaskCanceledException";
    private const string RequestFailed = "System.Net.Http.HttpRequestException";

    /// <summary>True when <see cref="ClientSpanHandler"/> would start a span for <paramref name="current"/>: a recorded span of the mesh's source.</summary>
    public static bool Applies(Activity? current) => current is { Recorded: true } && ReferenceEquals(current.Source, MeshTracing.Source);

    /// <summary>Starts the span (a child of the current one); null when the source's listener made none.</summary>
    public static Activity? Start(HttpRequest request, string cluster, DirectPool pool)
    {
        var span = MeshTracing.Source.StartActivity(Name, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            // The request URI of YARP's path is the destination's address, path prefix and path (plain characters
            // only on this path), so its host, port and left part up to the path are these.
            span.SetTag(TraceAttributes.Method, request.Method);
            span.SetTag(TraceAttributes.ServerAddress, pool.Host);
            span.SetTag(TraceAttributes.ServerPort, pool.Port);
            span.SetTag(TraceAttributes.UrlFull, string.Concat(pool.Authority, pool.BasePath, request.Path.Value));
            span.SetTag(TraceAttributes.Cluster, cluster);
        }

        return span;
    }

    /// <summary>Ends the span of an exchange whose response head came with <paramref name="status"/>.</summary>
    public static void Answered(Activity span, int status)
    {
        if (span.IsAllDataRequested)
        {
            span.SetTag(TraceAttributes.StatusCode, status);
            if (status >= 500)
            {
                span.SetTag(TraceAttributes.ErrorType, status.ToString(CultureInfo.InvariantCulture));
                span.SetStatus(ActivityStatusCode.Error);
            }
        }

        span.Dispose();
    }

    /// <summary>
    /// Ends the span of a failed exchange with the error HttpClient would have thrown on YARP's path: a
    /// <c>TaskCanceledException</c> when the timeout or the client cancelled it, an <c>HttpRequestException</c> otherwise
    /// (a failed connect with HttpClient's message: the socket error and the destination).
    /// </summary>
    public static void Failed(Activity span, Exception error, bool canceled, bool connecting, DirectPool pool)
    {
        if (span.IsAllDataRequested)
        {
            string type, message;
            if (canceled || error is OperationCanceledException)
            {
                (type, message) = (Canceled, "The operation was canceled.");
            }
            else if (connecting && error is SocketException socket)
            {
                (type, message) = (RequestFailed, string.Concat(socket.Message, " (", pool.Host, ":", pool.Port.ToString(), ")"));
            }
            else
            {
                (type, message) = (RequestFailed, "An error occurred while sending the request.");
            }

            span.SetTag(TraceAttributes.ErrorType, type);
            span.SetStatus(ActivityStatusCode.Error, message);
        }

        span.Dispose();
    }
}
