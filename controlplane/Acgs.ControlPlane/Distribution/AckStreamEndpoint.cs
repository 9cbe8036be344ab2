// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text.Json;
using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Serialization;
using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// <c>POST /api/v1/discovery/acks?service=&amp;node=</c> (<see cref="WatchLines.AckStreamHeader"/>): one long-lived request per
/// watch stream whose chunked body is NDJSON, one <see cref="SnapshotAck"/> per line. The credential is checked once, when the
/// stream opens, for the query's service and node; each line then goes where a <c>POST /ack</c> body goes
/// (<see cref="DistributionHub.Acknowledge"/>, or the Redis relay when the watch stream lives on another replica), so the
/// convergence state is the same whichever way an answer came. An empty line is a keep-alive. A line that is not a valid ACK of
/// the stream's own service and node is dropped (a <c>POST</c> of it would have been a 400 or 403 the sidecar does not act on)
/// and counted in <c>acgs_controlplane_ack_stream_lines_refused_total{reason}</c>; the stream goes on. Only the stream's first
/// refusal is logged, and the count once more when the stream ends, so a client sending bad lines cannot flood the log. A line
/// longer than <see cref="WatchLines.AckLineMaxBytes"/> ends the stream with a 413 (nothing longer is buffered).
/// One stream per sidecar (<see cref="AckStreamRegistry"/>): a newer one ends this one with a 409. The stream ends when the
/// sidecar ends its body (204), and is aborted when its workload token expires or the control plane stops.
/// </summary>
internal static partial class AckStreamEndpoint
{
    /// <summary>Refusal reasons, the <c>reason</c> label of <c>acgs_controlplane_ack_stream_lines_refused_total</c>.</summary>
    internal const string Unreadable = "unreadable", Invalid = "invalid", OtherNode = "other_node", TooLong = "too_long";

    public static async Task RunAsync(HttpContext context, string? service, string? node, DistributionHub hub, SidecarAccess access,
        ControlPlaneMetrics metrics, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<DistributionHub> logger)
    {
        var (caller, refusal) = access.Authenticate(context, "ack");
        refusal ??= Problems.Invalid(SidecarNode.ValidateDeregistration(service, node));
        refusal ??= await access.AuthorizeAsync(caller!, "ack", service!, node!, context.RequestAborted).ConfigureAwait(false);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // An idle stream sends nothing between snapshots, and a long-lived one adds up to more than the body limit.
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        using var lease = hub.AckStreams.Open(service!, node!);
        using var expiry = caller!.Workload is { } workload
            ? new CancellationTokenSource(Clamp(workload.ExpiresAt - time.GetUtcNow()), time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, expiry.Token, lifetime.ApplicationStopping, lease.Replaced);
        var relay = context.RequestServices.GetService<RedisChangeBus>();
        var reader = context.Request.BodyReader;
        var refused = new Refusals(service!, node!, metrics, logger);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    if (Receive(buffer.Slice(0, end), service!, node!, hub, relay, metrics) is { } reason)
                    {
                        refused.Add(reason);
                    }

                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                if (buffer.Length > WatchLines.AckLineMaxBytes)
                {
                    refused.Add(TooLong);
                    reader.AdvanceTo(buffer.End);
                    await EndAsync(context, Problems.Create(StatusCodes.Status413PayloadTooLarge, Problems.ValidationType, "ACK line too long",
                        "An ACK stream line is at most " + WatchLines.AckLineMaxBytes + " bytes; the stream is closed (send such an answer by POST /ack).")).ConfigureAwait(false);
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (lease.Replaced.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // A newer stream of the same sidecar took over (it reconnected; this one is likely half-open): end this one cleanly.
            Replaced(logger, service!, node!);
            await EndAsync(context, Problems.Create(StatusCodes.Status409Conflict, Problems.ConflictType, "ACK stream replaced",
                "A newer ACK stream of this sidecar replaced this one; its answers go there.")).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Token expired or shutdown: the reset tells the sidecar at once (it answers by POST until its next watch).
            context.Abort();
            return;
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or ConnectionResetException)
        {
            return; // the sidecar went away
        }
        finally
        {
            refused.Summarize();
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Takes one line; the refusal reason when it is not a valid ACK of the stream's own sidecar, else null.</summary>
    private static string? Receive(ReadOnlySequence<byte> line, string service, string node, DistributionHub hub, RedisChangeBus? relay, ControlPlaneMetrics metrics)
    {
        if (line.IsEmpty)
        {
            return null; // a keep-alive
        }

        SnapshotAck? ack;
        try
        {
            var json = new Utf8JsonReader(line);
            ack = JsonSerializer.Deserialize(ref json, AcgsJsonContext.Default.SnapshotAck);
        }
        catch (JsonException)
        {
            return Unreadable;
        }

        if (!SnapshotAckValidator.Validate(ack).IsValid)
        {
            return Invalid;
        }

        if (!string.Equals(ack!.ServiceName, service, StringComparison.Ordinal) || !string.Equals(ack.NodeId, node, StringComparison.Ordinal))
        {
            return OtherNode;
        }

        metrics.AckStreamAnswers.Inc();
        if (!hub.Acknowledge(ack))
        {
            relay?.RelayAck(ack); // the watch stream lives on another replica
        }

        return null;
    }

    /// <summary>
    /// Ends the stream with <paramref name="problem"/> and <c>Connection: close</c>, without reading the rest of the body: the
    /// sidecar's next write fails and it answers by POST.
    /// </summary>
    private static async Task EndAsync(HttpContext context, IResult problem)
    {
        context.Response.Headers.Connection = "close";
        try
        {
            await problem.ExecuteAsync(context).ConfigureAwait(false);
            await context.Response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or OperationCanceledException)
        {
            // The sidecar is gone already (a half-open stream).
        }
    }

    private static TimeSpan Clamp(TimeSpan remaining) =>
        remaining <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : remaining > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : remaining;

    private static string Describe(string reason) => reason switch
    {
        Unreadable => "not a JSON SnapshotAck",
        Invalid => "an invalid SnapshotAck",
        OtherNode => "an ACK for another service or node",
        _ => "a line longer than " + WatchLines.AckLineMaxBytes + " bytes",
    };

    [LoggerMessage(5109, LogLevel.Warning, "[cdd01ef066bc6cf2] ACK stream of sidecar {Service}/{Node} dropped a line: {Reason} (further refusals of this stream are only counted)")]
    private static partial void LineRefused(ILogger logger, string service, string node, string reason);

    [LoggerMessage(5110, LogLevel.Warning, "[cdd01ef066bc6cf2] ACK stream of sidecar {Service}/{Node} ended having dropped {Count} line(s); the first was {Reason}")]
    private static partial void StreamRefusals(ILogger logger, string service, string node, long count, string reason);

    [LoggerMessage(5111, LogLevel.Information, "[cdd01ef066bc6cf2] ACK stream of sidecar {Service}/{Node} replaced by a newer one and closed (409)")]
    private static partial void Replaced(ILogger logger, string service, string node);

    /// <summary>One stream's refused lines: every one counted, the first logged, the count logged when the stream ends.</summary>
    private sealed class Refusals(string service, string node, ControlPlaneMetrics metrics, ILogger logger)
    {
        private long _count;
        private string? _first;

        public void Add(string reason)
        {
            metrics.AckStreamLinesRefused.WithLabels(reason).Inc();
            if (_count++ == 0)
            {
                _first = reason;
                LineRefused(logger, service, node, Describe(reason));
            }
        }

        public void Summarize()
        {
            if (_first is not null)
            {
                StreamRefusals(logger, service, node, _count, Describe(_first));
            }
        }
    }
}
