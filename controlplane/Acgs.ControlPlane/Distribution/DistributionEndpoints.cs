// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;
using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Serialization;
using Acgs.ControlPlane.Api;
using Acgs.ControlPlane.Discovery;
using Acgs.ControlPlane.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Acgs.ControlPlane.Distribution;

/// <summary>
/// The distribution API. <c>GET /api/v1/discovery/watch?service=&amp;node=&amp;address=</c> is a long-lived
/// NDJSON stream (one JSON object per line: <c>{"type":"snapshot","version","nonce","snapshot"}</c>, or
/// <c>{"type":"heartbeat"}</c> every heartbeat interval); <c>POST /api/v1/discovery/ack</c> answers a snapshot, and
/// <c>POST /api/v1/discovery/acks</c> (<see cref="AckStreamEndpoint"/>) carries a sidecar's answers on one long-lived request;
/// <c>GET /api/v1/discovery/sidecars</c> lists this replica's streams; <c>GET /api/v1/discovery/snapshots/{service}</c>
/// previews a service's compiled snapshot (422 with every error when it does not compile).
/// </summary>
internal static class DistributionEndpoints
{
    /// <summary>Maps the distribution endpoints.</summary>
    public static IEndpointRouteBuilder MapDistributionEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(ControlPlaneRoutes.DiscoveryGroup);
        group.MapGet(ControlPlaneRoutes.WatchTemplate, WatchAsync);
        group.MapPost(ControlPlaneRoutes.AckTemplate, AckAsync);
        group.MapPost(ControlPlaneRoutes.AckStreamTemplate, AckStreamEndpoint.RunAsync);
        group.MapGet("/sidecars", static (DistributionHub hub) => TypedResults.Ok(WatcherView.Sorted(hub.Watchers)));
        group.MapGet("/snapshots/{service}", PreviewAsync);
        return endpoints;
    }

    /// <summary>
    /// One NDJSON line for <paramref name="snapshot"/>. The snapshot's JSON is serialized once per snapshot
    /// (snapshots are immutable, see <see cref="SerializedSnapshot"/>) and shared by every watcher; only the nonce differs per line.
    /// </summary>
    public static byte[] SnapshotLine(ConfigSnapshot snapshot, string nonce)
    {
        var writer = new ArrayBufferWriter<byte>();
        SerializedSnapshot.Of(snapshot).WriteLine(writer, nonce);
        return writer.WrittenSpan.ToArray();
    }

    /// <remarks>
    /// The stream ends when the sidecar goes away or, at once, when the control plane stops (SIGTERM): the sidecar
    /// reconnects (to another replica) and the process exits without waiting for the shutdown timeout. A stream ended by
    /// the shutdown leaves the node registered — the sidecar is alive — so no replica compiles its endpoint away.
    /// </remarks>
    private static async Task WatchAsync(HttpContext context, string? service, string? node, string? address, string? deltas, DistributionHub hub, ServiceDirectory directory,
        ControlPlaneOptions options, SidecarAccess access, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        var (caller, refusal) = access.Authenticate(context, "watch");
        refusal ??= Problems.Invalid(SidecarNode.ValidateWatch(service, node, address, deltas));
        refusal ??= await access.AuthorizeAsync(caller!, "watch", service!, node!, context.RequestAborted).ConfigureAwait(false);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        // A stream opened with a workload token ends when the token expires: the sidecar reconnects with its renewed one.
        using var expiry = caller!.Workload is { } workload
            ? new CancellationTokenSource(Clamp(workload.ExpiresAt - time.GetUtcNow()), time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, expiry.Token, lifetime.ApplicationStopping);
        var aborted = linked.Token;
        context.Response.ContentType = WatchLines.ContentType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Response.Headers["X-Acgs-Replica"] = options.ReplicaId;
        context.Response.Headers[WatchLines.AckStreamHeader] = "1";
        await context.Response.StartAsync(aborted).ConfigureAwait(false);
        var watcher = hub.Connect(service!, node!, address!, deltas == "1");
        try
        {
            await directory.RegisterAsync(service!, node!, address!).ConfigureAwait(false);
            await WatchStream.RunAsync(context.Response.BodyWriter, watcher, options.WatchHeartbeat, time, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The sidecar went away mid-write.
        }
        finally
        {
            hub.Disconnect(watcher);
            if (!lifetime.ApplicationStopping.IsCancellationRequested && hub.Watchers.All(w => w.Key != watcher.Key))
            {
                await directory.UnregisterAsync(service!, node!).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Clamp(TimeSpan remaining) =>
        remaining <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : remaining > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : remaining;

    private static async Task<IResult> AckAsync(HttpContext context, DistributionHub hub, IServiceProvider services)
    {
        var (ack, refusal) = await SidecarRequests.ReceiveAsync(
            context, "ack", AcgsJsonContext.Default.SnapshotAck, SnapshotAckValidator.Validate, static a => (a.ServiceName!, a.NodeId!)).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!hub.Acknowledge(ack!))
        {
            // The stream lives on another replica (a load balancer split the two requests): hand it over.
            services.GetService<RedisChangeBus>()?.RelayAck(ack!);
            return TypedResults.Accepted((string?)null);
        }

        return TypedResults.NoContent();
    }

    private static async Task<IResult> PreviewAsync(string service, DistributionHub hub, Discovery.ServiceDirectory directory, Store.IPolicyStore store, CancellationToken cancellationToken)
    {
        if (!await IsKnownAsync(service, directory, store, cancellationToken).ConfigureAwait(false))
        {
            return Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found",
                $"service '{service}' has no registered sidecars and no active policy names it");
        }

        var result = await hub.CompileAsync(service, cancellationToken).ConfigureAwait(false);
        if (result.Snapshot is null)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, Problems.ValidationType, "Snapshot does not compile",
                $"{result.Errors.Count} problem(s).", result.Errors);
        }

        var body = ConfigSnapshotJson.ToNode(result.Snapshot)!.AsObject();
        if (result.Warnings.Count > 0)
        {
            return TypedResults.Ok(new JsonObject { ["snapshot"] = body, ["warnings"] = new JsonArray([.. result.Warnings.Select(w => (JsonNode)w)]) });
        }

        return TypedResults.Ok(new JsonObject { ["snapshot"] = body });
    }

    /// <summary>A service is known when a sidecar of it is registered or an active policy targets it.</summary>
    private static async Task<bool> IsKnownAsync(string service, Discovery.ServiceDirectory directory, Store.IPolicyStore store, CancellationToken cancellationToken)
    {
        foreach (var endpoint in await directory.ListAsync().ConfigureAwait(false))
        {
            if (string.Equals(endpoint.ServiceName, service, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var policy in await Compiler.ActivePolicies.LoadAsync(store, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(policy.Document.Target, service, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
