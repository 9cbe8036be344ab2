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
/// convergence state is the same whichever way an answer came. A line that is not a valid ACK of the stream's own service and
/// node is dropped and logged (a <c>POST</c> of it would have been a 400 or 403 the sidecar does not act on); the stream goes on.
/// The stream ends when the sidecar ends its body (204), and is aborted when its workload token expires or the control plane stops.
/// </summary>
internal static partial class AckStreamEndpoint
{
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

        using var expiry = caller!.Workload is { } workload
            ? new CancellationTokenSource(Clamp(workload.ExpiresAt - time.GetUtcNow()), time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, expiry.Token, lifetime.ApplicationStopping);
        var relay = context.RequestServices.GetService<RedisChangeBus>();
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    Receive(buffer.Slice(0, end), service!, node!, hub, relay, metrics, logger);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                if (buffer.Length > WatchLines.AckLineMaxBytes)
                {
                    LineRefused(logger, service!, node!, "line longer than " + WatchLines.AckLineMaxBytes + " bytes");
                    context.Abort();
                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
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

        await reader.CompleteAsync().ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static void Receive(ReadOnlySequence<byte> line, string service, string node, DistributionHub hub, RedisChangeBus? relay, ControlPlaneMetrics metrics, ILogger logger)
    {
        if (line.IsEmpty)
        {
            return;
        }

        SnapshotAck? ack;
        try
        {
            var json = new Utf8JsonReader(line);
            ack = JsonSerializer.Deserialize(ref json, AcgsJsonContext.Default.SnapshotAck);
        }
        catch (JsonException)
        {
            LineRefused(logger, service, node, "not a JSON SnapshotAck");
            return;
        }

        if (!SnapshotAckValidator.Validate(ack).IsValid)
        {
            LineRefused(logger, service, node, "invalid SnapshotAck");
            return;
        }

        if (!string.Equals(ack!.ServiceName, service, StringComparison.Ordinal) || !string.Equals(ack.NodeId, node, StringComparison.Ordinal))
        {
            LineRefused(logger, service, node, "an ACK for another service or node");
            return;
        }

        metrics.AckStreamAnswers.Inc();
        if (!hub.Acknowledge(ack))
        {
            relay?.RelayAck(ack); // the watch stream lives on another replica
        }
    }

    private static TimeSpan Clamp(TimeSpan remaining) =>
        remaining <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : remaining > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : remaining;

    [LoggerMessage(5109, LogLevel.Warning, "[cdd01ef066bc6cf2] ACK stream of sidecar {Service}/{Node} dropped a line: {Reason}")]
    private static partial void LineRefused(ILogger logger, string service, string node, string reason);
}
