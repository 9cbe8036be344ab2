// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.Bus;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Validation;
using Acgs.Core;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The bus's small HTTP API on its own listener (<see cref="BusOptions.HttpPort"/>, default 8082):
/// <c>POST /v1/messages</c> sends one message written as JSON with the seed's snake_case names
/// (200 delivered, 202 accepted or stored, or the precise 4xx problem document) and
/// <c>GET /v1/agents</c> lists the connected agents. For tools and tests; agents use the framed port.
/// The sender of a posted message is the authenticated caller: the agent registered with <c>POST /v1/senders</c>
/// whose bearer token the request carries (<see cref="BusHttpSenders"/>), never a body field.
/// </summary>
internal sealed partial class BusHttpApi(BusRouter router)
{
    private const int MaxRequestBytes = 2 * 1024 * 1024;
    private static readonly TimeSpan StoreWriteTimeout = TimeSpan.FromSeconds(30);
    private readonly BusMessageValidator _validator = new(router.Options.AcceptedHashes);

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/v1/messages", StringComparison.Ordinal))
        {
            return HttpMethods.IsPost(context.Request.Method) ? PostMessageAsync(context) : MethodNotAllowed(context, "POST");
        }

        if (path.Equals("/v1/senders", StringComparison.Ordinal))
        {
            return HttpMethods.IsPost(context.Request.Method) ? PostSenderAsync(context)
                : HttpMethods.IsDelete(context.Request.Method) ? DeleteSenderAsync(context) : MethodNotAllowed(context, "POST, DELETE");
        }

        if (path.Equals("/v1/agents", StringComparison.Ordinal))
        {
            return HttpMethods.IsGet(context.Request.Method) ? GetAgentsAsync(context) : MethodNotAllowed(context, "GET");
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    /// <summary>The HTTP status of an error code.</summary>
    public static int StatusFor(BusErrorCode code) => code switch
    {
        BusErrorCode.MalformedFrame or BusErrorCode.FieldTooLarge or BusErrorCode.InvalidAgentId => StatusCodes.Status400BadRequest,
        BusErrorCode.NotRegistered => StatusCodes.Status401Unauthorized,
        BusErrorCode.DuplicateRegistration => StatusCodes.Status409Conflict,
        BusErrorCode.ConnectionLimit => StatusCodes.Status429TooManyRequests,
        BusErrorCode.FrameTooLarge => StatusCodes.Status413PayloadTooLarge,
        BusErrorCode.HashMissing or BusErrorCode.HashMismatch or BusErrorCode.TenantMismatch or BusErrorCode.AgentMismatch or BusErrorCode.Forbidden => StatusCodes.Status403Forbidden,
        BusErrorCode.Expired => StatusCodes.Status410Gone,
        BusErrorCode.UnknownAgent => StatusCodes.Status404NotFound,
        BusErrorCode.Busy => StatusCodes.Status429TooManyRequests,
        BusErrorCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static Task MethodNotAllowed(HttpContext context, string allow)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = allow;
        return Task.CompletedTask;
    }

    private async Task PostMessageAsync(HttpContext context)
    {
        if (router.HttpSenders.Find(context.Request.Headers.Authorization.ToString()) is not { } sender)
        {
            router.Metrics.Rejected(BusMetrics.UnparsedType, BusErrorCode.NotRegistered);
            await WriteProblemAsync(context, BusErrorCode.NotRegistered, "send as a registered agent: Authorization: Bearer <the token of POST /v1/senders>").ConfigureAwait(false);
            return;
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            if (buffer.Length > MaxRequestBytes)
            {
                router.Metrics.Rejected(BusMetrics.UnparsedType, BusErrorCode.FrameTooLarge);
                await WriteProblemAsync(context, BusErrorCode.FrameTooLarge, "request body too large").ConfigureAwait(false);
                return;
            }

            body = buffer.ToArray();
        }

        if (!BusJsonMessage.TryRead(body, context.Request.Headers[AcgsConstants.HashHeaderName].ToString(), sender, router.Time, _validator, out var envelope, out var payload, out var problem))
        {
            // Refused before routing: counted, never delivered.
            router.Metrics.Rejected(problem.Type, problem.Code);
            await WriteProblemAsync(context, problem.Code, problem.Detail, problem.Errors).ConfigureAwait(false);
            return;
        }

        if (SenderMismatch(envelope, sender) is var mismatch && mismatch != BusErrorCode.None)
        {
            // An agent sends only as itself and within its tenant.
            router.Metrics.Rejected((int)envelope.MessageType, mismatch);
            await WriteProblemAsync(context, mismatch, Encoding.UTF8.GetString(BusErrorDetails.For(mismatch))).ConfigureAwait(false);
            return;
        }

        var message = router.Pool.Rent();
        var target = new HttpReplyTarget(router);
        message.Sender = target;
        message.ReceivedTimestamp = Stopwatch.GetTimestamp();
        var trace = BusHttpTraceContext.Read(context.Request.Headers); // the caller's traceparent, carried as a framed send carries it
        int length;
        try
        {
            length = BusFrameWriter.MeasureMessage(envelope, payload.Length, trace);
        }
        catch (ArgumentException ex)
        {
            router.Release(message);
            var tooLarge = ex.ParamName == "payloadLength" ? BusErrorCode.FrameTooLarge : BusErrorCode.FieldTooLarge;
            router.Metrics.Rejected((int)envelope.MessageType, tooLarge);
            await WriteProblemAsync(context, tooLarge, ex.Message).ConfigureAwait(false);
            return;
        }

        var frame = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            BusFrameWriter.WriteMessage(frame.AsSpan(), BusFrameType.Send, envelope, payload, trace);
            message.Load(frame.AsSpan(0, length), router.Pool.Buffers);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }

        var code = Admit(message, trace.IsEmpty ? BusFrameFlagBits.None : BusFrameFlagBits.TraceContext);
        if (code != BusErrorCode.None)
        {
            router.Reject(message, code);
        }
        else
        {
            router.Route(message, fromPeer: false);
        }

        var outcome = await WaitOutcomeAsync(target, router.Options.HttpAckTimeout, context.RequestAborted).ConfigureAwait(false);
        if (outcome is null && target.Storing)
        {
            // In the offline store's hands: its write decides (stored, or 503) — never 202 for a write that may fail.
            outcome = await WaitOutcomeAsync(target, StoreWriteTimeout, context.RequestAborted).ConfigureAwait(false);
        }

        if (outcome is not { } result)
        {
            if (target.Storing)
            {
                await WriteProblemAsync(context, BusErrorCode.Unavailable, "the offline store did not confirm the write in time; retry later").ConfigureAwait(false);
                return;
            }

            await WriteStatusAsync(context, StatusCodes.Status202Accepted, "accepted", envelope.MessageId).ConfigureAwait(false);
        }
        else if (result.Code == BusErrorCode.Internal && target.Storing)
        {
            await WriteProblemAsync(context, BusErrorCode.Unavailable, "the offline store could not write the message; retry later").ConfigureAwait(false);
        }
        else if (result.Code != BusErrorCode.None)
        {
            await WriteProblemAsync(context, result.Code, Encoding.UTF8.GetString(BusErrorDetails.For(result.Code))).ConfigureAwait(false);
        }
        else if ((result.Flags & BusFrameFlagBits.Stored) != 0)
        {
            await WriteStatusAsync(context, StatusCodes.Status202Accepted, "stored", envelope.MessageId).ConfigureAwait(false);
        }
        else
        {
            await WriteStatusAsync(context, StatusCodes.Status200OK, "delivered", envelope.MessageId).ConfigureAwait(false);
        }
    }

    private BusErrorCode Admit(RoutedMessage message, BusFrameFlagBits flags)
    {
        var code = BusFrameParser.ParseMessage(message.Body, flags, out var view);
        if (code != BusErrorCode.None)
        {
            return code;
        }

        message.Ranges = view.Ranges;
        message.Priority = view.Priority;
        message.MessageType = view.MessageType;
        message.ExpiresAtUnixMs = view.ExpiresAtUnixMs;
        code = router.Admit(view, null);
        if (code == BusErrorCode.None && view.HasTraceContext && Tracing.MeshTracing.Source.HasListeners())
        {
            Tracing.BusTracing.Start(message, local: router.FindLocal(view.ToAgent) is not null, router.TraceDecision); // the same span and decision as a framed send's
        }

        return code;
    }

    private static BusErrorCode SenderMismatch(in BusMessageEnvelope envelope, BusHttpSender sender) =>
        !string.Equals(envelope.FromAgent, sender.AgentId, StringComparison.Ordinal) ? BusErrorCode.AgentMismatch
        : !string.Equals(envelope.TenantId, sender.TenantId, StringComparison.Ordinal) ? BusErrorCode.TenantMismatch
        : BusErrorCode.None;

    private Task<(BusErrorCode Code, BusFrameFlagBits Flags)?> WaitOutcomeAsync(HttpReplyTarget target, TimeSpan timeout, CancellationToken aborted) =>
        target.Outcome.WaitAsync(timeout, router.Time, aborted)
            .ContinueWith(static t => t.IsCompletedSuccessfully ? t.Result : ((BusErrorCode Code, BusFrameFlagBits Flags)?)null, TaskScheduler.Default);

    private static async Task WriteStatusAsync(HttpContext context, int status, string state, string messageId)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var output = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("status", state);
            json.WriteString("message_id", messageId);
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteProblemAsync(HttpContext context, BusErrorCode code, string detail, ImmutableArray<ValidationError> errors = default)
    {
        var status = StatusFor(code);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        if (code is BusErrorCode.Busy or BusErrorCode.Unavailable or BusErrorCode.ConnectionLimit)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        if (code == BusErrorCode.NotRegistered)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        var output = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("type", code is BusErrorCode.HashMissing or BusErrorCode.HashMismatch
                ? AcgsConstants.HashMismatchProblemType
                : "urn:acgs:bus:" + code.ToWireName().Replace('_', '-'));
            json.WriteString("title", code.ToWireName());
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteString("code", code.ToWireName());
            if (!errors.IsDefaultOrEmpty)
            {
                json.WriteStartArray("errors");
                foreach (var error in errors)
                {
                    json.WriteStartObject();
                    json.WriteString("field", error.Path);
                    json.WriteString("message", error.Message);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task GetAgentsAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var output = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteStartArray("agents");
            foreach (var session in router.Agents)
            {
                json.WriteStartObject();
                json.WriteString("agent_id", session.AgentId);
                json.WriteString("tenant_id", session.TenantId);
                json.WriteNumber("queued", session.Outbox.DataCount);
                json.WriteNumber("in_flight", session.Inflight.Count);
                json.WriteString("connected_at", session.ConnectedAt.ToString("O", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("count", router.Agents.Count);
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
