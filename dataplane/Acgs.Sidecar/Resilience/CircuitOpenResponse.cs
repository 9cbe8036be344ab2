// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Acgs.Core;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Resilience;

/// <summary>
/// The fast-fail answer while a cluster's circuit is open (docs/resilience.md): <c>503</c>,
/// <c>x-acgs-circuit: open</c>, <c>Retry-After</c> in whole seconds (at least 1) and an RFC 7807
/// <c>application/problem+json</c> body of type <see cref="AcgsConstants.CircuitOpenProblemType"/>.
/// YARP copies it to the client like an upstream response.
/// </summary>
internal static class CircuitOpenResponse
{
    /// <summary>The header that marks a circuit-open answer.</summary>
    public const string CircuitHeaderName = "x-acgs-circuit";

    /// <summary>The value of <see cref="CircuitHeaderName"/>.</summary>
    public const string CircuitHeaderValue = "open";

    /// <summary>The problem-details media type.</summary>
    public const string ProblemContentType = "application/problem+json";

    /// <summary>The problem body for <paramref name="clusterId"/>, built once per cluster.</summary>
    public static byte[] BuildBody(string clusterId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", AcgsConstants.CircuitOpenProblemType);
            writer.WriteString("title", "Upstream circuit open");
            writer.WriteNumber("status", 503);
            writer.WriteString("detail", $"The circuit breaker of upstream cluster '{clusterId}' is open: the request was not sent. Retry after the time in the Retry-After header.");
            writer.WriteString("cluster", clusterId);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A new circuit-open response for <paramref name="request"/>.</summary>
    public static HttpResponseMessage Create(HttpRequestMessage request, byte[] body, TimeSpan retryAfter)
    {
        var seconds = RetryAfterSeconds(retryAfter);
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", ProblemContentType);
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            RequestMessage = request,
            Content = content,
        };
        response.Headers.TryAddWithoutValidation(CircuitHeaderName, CircuitHeaderValue);
        response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        return response;
    }

    /// <summary>
    /// Replaces the not yet started <paramref name="response"/> with the circuit-open answer (status,
    /// headers and body as <see cref="Create"/> gives them); used when the outcome is recorded in a
    /// YARP response transform (<see cref="UpstreamCall"/>).
    /// </summary>
    public static ValueTask WriteAsync(HttpResponse response, byte[] body, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(body);
        response.Clear();
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = ProblemContentType;
        response.ContentLength = body.Length;
        response.Headers[CircuitHeaderName] = CircuitHeaderValue;
        response.Headers.RetryAfter = RetryAfterSeconds(retryAfter).ToString(CultureInfo.InvariantCulture);
        return response.Body.WriteAsync(body);
    }

    /// <summary>Whole seconds for <c>Retry-After</c>, at least 1.</summary>
    public static long RetryAfterSeconds(TimeSpan retryAfter) =>
        retryAfter <= TimeSpan.Zero ? 1 : Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
}
