// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;

namespace Acgs.Sidecar.Tracing;

/// <summary>
/// The client span of each attempt to reach an upstream (<c>upstream</c>; a retry is a new span with
/// <c>http.request.resend_count</c>), a child of the request's server span. It writes its own context into the
/// forwarded request's <c>traceparent</c>/<c>tracestate</c> (replacing the ones copied from the caller), so the next
/// hop is its child, with the sampled flag of this trace. Installed below the breaker/retry handler only while tracing
/// is on; a request the tracing middleware did not sample has no span of its own and gets none here.
/// </summary>
internal sealed class ClientSpanHandler : DelegatingHandler
{
    private const string TraceParentHeader = "traceparent";
    private const string TraceStateHeader = "tracestate";
    private static readonly HttpRequestOptionsKey<int> Attempts = new("acgs.tracing.attempts");
    private readonly string _cluster;

    /// <summary>A handler for the client of <paramref name="cluster"/>.</summary>
    public ClientSpanHandler(string cluster, HttpMessageHandler inner)
        : base(inner) => _cluster = cluster;

    /// <inheritdoc />
    /// <remarks>
    /// A request that is not sampled is handed on as it is, without an async frame of its own (no allocation): the
    /// request was given no server span, and its <c>traceparent</c> goes on as the middleware left it.
    /// </remarks>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Activity.Current is { Recorded: true } parent && ReferenceEquals(parent.Source, MeshTracing.Source)
            ? SendTracedAsync(request, parent, cancellationToken)
            : base.SendAsync(request, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendTracedAsync(HttpRequestMessage request, Activity parent, CancellationToken cancellationToken)
    {
        using var span = MeshTracing.Source.StartActivity("upstream", ActivityKind.Client);
        if (span is null)
        {
            Propagate(request, parent);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        Propagate(request, span);

        _ = request.Options.TryGetValue(Attempts, out var attempt);
        request.Options.Set(Attempts, attempt + 1);
        if (span.IsAllDataRequested)
        {
            Describe(span, request, attempt);
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (span.IsAllDataRequested)
            {
                var status = (int)response.StatusCode;
                span.SetTag(TraceAttributes.StatusCode, status);
                if (status >= 500)
                {
                    span.SetTag(TraceAttributes.ErrorType, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    span.SetStatus(ActivityStatusCode.Error);
                }
            }

            return response;
        }
        catch (Exception e) when (span.IsAllDataRequested)
        {
            span.SetTag(TraceAttributes.ErrorType, e.GetType().FullName);
            span.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
    }

    private static void Propagate(HttpRequestMessage request, Activity span)
    {
        request.Headers.Remove(TraceParentHeader);
        request.Headers.Remove(TraceStateHeader);
        request.Headers.TryAddWithoutValidation(TraceParentHeader, span.Id);
        if (span.TraceStateString is { Length: > 0 } state)
        {
            request.Headers.TryAddWithoutValidation(TraceStateHeader, state);
        }
    }

    private void Describe(Activity span, HttpRequestMessage request, int attempt)
    {
        span.SetTag(TraceAttributes.Method, request.Method.Method);
        if (request.RequestUri is { } uri)
        {
            span.SetTag(TraceAttributes.ServerAddress, uri.Host);
            span.SetTag(TraceAttributes.ServerPort, uri.Port);
            span.SetTag(TraceAttributes.UrlFull, uri.GetLeftPart(UriPartial.Path)); // without the query: it may carry secrets
        }

        span.SetTag(TraceAttributes.Cluster, _cluster);
        if (attempt > 0)
        {
            span.SetTag(TraceAttributes.ResendCount, attempt);
        }
    }
}
