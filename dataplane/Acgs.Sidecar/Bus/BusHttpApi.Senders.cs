// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Config;
using Acgs.Contracts.Validation;
using Acgs.Core;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// <c>POST /v1/senders</c> (<c>{"agent_id","tenant_id","constitutional_hash"}</c> → 201 with the agent's bearer token,
/// shown once) and <c>DELETE /v1/senders</c> (with the token → 204): how an HTTP caller becomes an agent of this bus.
/// </summary>
internal sealed partial class BusHttpApi
{
    private const int MaxSenderBodyBytes = 4096;

    private async Task PostSenderAsync(HttpContext context)
    {
        var (agent, tenant, hash, error) = await ReadSenderAsync(context).ConfigureAwait(false);
        var code = error;
        if (code == BusErrorCode.None)
        {
            code = BusRouter.HashCode(router.Validator.Validate((hash ?? context.Request.Headers[AcgsConstants.HashHeaderName].ToString()).AsSpan()));
        }

        if (code == BusErrorCode.None && !NodeId.IsPrintable(agent, ConfigSnapshotValidator.MaxAgentIdLength))
        {
            code = BusErrorCode.InvalidAgentId;
        }

        if (code == BusErrorCode.None && !IsIdentifier(tenant))
        {
            code = BusErrorCode.MalformedFrame;
        }

        var token = string.Empty;
        if (code == BusErrorCode.None)
        {
            code = router.HttpSenders.TryAdd(agent!, tenant!, router.IsLocal, out token);
        }

        if (code != BusErrorCode.None)
        {
            router.Metrics.Rejected(BusMetrics.UnparsedType, code);
            await WriteProblemAsync(context, code, SenderDetail(code)).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var output = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("agent_id", agent);
            json.WriteString("tenant_id", tenant);
            json.WriteString("token", token);
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task DeleteSenderAsync(HttpContext context)
    {
        if (!router.HttpSenders.Remove(context.Request.Headers.Authorization.ToString()))
        {
            await WriteProblemAsync(context, BusErrorCode.NotRegistered, "unknown or missing bearer token").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task<(string? Agent, string? Tenant, string? Hash, BusErrorCode Error)> ReadSenderAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > MaxSenderBodyBytes)
        {
            return (null, null, null, BusErrorCode.FieldTooLarge);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? (null, null, null, BusErrorCode.MalformedFrame)
                : (Text(root, "agent_id"), Text(root, "tenant_id"), Text(root, "constitutional_hash"), BusErrorCode.None);
        }
        catch (JsonException)
        {
            return (null, null, null, BusErrorCode.MalformedFrame);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value) || Encoding.UTF8.GetByteCount(value) > BusWireConstants.MaxIdBytes)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string SenderDetail(BusErrorCode code) => code switch
    {
        BusErrorCode.MalformedFrame => "the body must be {\"agent_id\",\"tenant_id\",\"constitutional_hash\"}; tenant_id 1-128 bytes without whitespace or control characters",
        BusErrorCode.DuplicateRegistration => "agent id already registered on this sidecar (framed port or HTTP API)",
        BusErrorCode.ConnectionLimit => "the HTTP API holds its maximum of sender registrations; retry later",
        _ => Encoding.UTF8.GetString(BusErrorDetails.For(code)),
    };
}
