// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Admin;

/// <summary>Writes the admin endpoints' JSON documents (admin traffic only, not the proxy hot path).</summary>
internal static class AdminJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    /// <summary>Writes <paramref name="write"/>'s document with <paramref name="status"/>.</summary>
    public static async Task WriteAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer, state);
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
