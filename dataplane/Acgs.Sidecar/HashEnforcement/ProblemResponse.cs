// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.HashEnforcement;

/// <summary>Writes RFC 7807 <c>application/problem+json</c> responses (rejection paths only; these allocate).</summary>
internal static class ProblemResponse
{
    /// <summary>The problem+json media type.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Problem type of a request for which the outbound listener has no route.</summary>
    public const string NoRouteType = "urn:acgs:no-route";

    /// <summary>Writes a problem document with optional extra string members.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string type, string title, string detail, params (string Name, string Value)[] extra)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.Headers.CacheControl = "no-store";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            writer.WriteString("instance", context.Request.Path.Value);
            foreach (var (name, value) in extra)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
