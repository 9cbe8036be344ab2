// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.HashEnforcement;

/// <summary>
/// The answer to a request body over <c>ACGS_MAX_REQUEST_BODY_BYTES</c>: 413 problem+json
/// (<c>urn:acgs:request-body-too-large</c>), counted as the client fault <c>body_too_large</c>. Sent before anything is
/// forwarded when <c>Content-Length</c> says so; for a chunked body, when the limit is reached while forwarding and
/// nothing has been answered yet (the upstream request is aborted, the app never gets a complete request).
/// </summary>
internal static class BodyTooLarge
{
    /// <summary>Problem type.</summary>
    public const string ProblemType = "urn:acgs:request-body-too-large";

    /// <summary>Fault cause in <c>acgs_client_faults_total</c>.</summary>
    public const string Cause = "body_too_large";

    /// <summary>Writes the 413 (the connection is closed after it, so the unread body is not drained).</summary>
    public static Task WriteAsync(HttpContext context, long limit, ClientFaultLog? faults)
    {
        ArgumentNullException.ThrowIfNull(context);
        var detail = string.Create(CultureInfo.InvariantCulture, $"the request body is larger than the sidecar's limit of {limit} bytes (ACGS_MAX_REQUEST_BODY_BYTES)");
        faults?.Record(Cause, detail);
        context.Response.Headers.Connection = "close";
        return ProblemResponse.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ProblemType, "Request body too large", detail,
            ("max_request_body_bytes", limit.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>True when <paramref name="error"/> (YARP's forwarding error) is Kestrel's body-too-large.</summary>
    public static bool IsBodyTooLarge(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }
}
