// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.Contracts.Serialization;
using Acgs.ControlPlane.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Metering;

/// <summary>
/// <c>POST /api/v1/metering/windows</c>: a sidecar's <see cref="MeteringBatch"/> (its credential, for its own service and
/// node — <see cref="SidecarRequests"/>): stored, each window id once, then 200 <c>{"accepted","stored"}</c>; 400 listing
/// every problem and storing nothing. <c>GET /api/v1/metering</c> (a read: read or admin token): totals over the stored
/// windows, JSON or CSV (<see cref="MeteringQuery"/>).
/// </summary>
internal static class MeteringEndpoints
{
    /// <summary>Maps the metering endpoints.</summary>
    public static IEndpointRouteBuilder MapMeteringEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(MeteringBatch.Path, ReceiveAsync);
        endpoints.MapGet("/api/v1/metering", QueryAsync);
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, IMeteringStore store, MeteringMetrics metrics)
    {
        var (batch, refusal) = await SidecarRequests.ReceiveAsync(
            context, "metering", AcgsJsonContext.Default.MeteringBatch, MeteringBatchValidator.Validate, b => (b.Windows[0].Service, b.Windows[0].Node)).ConfigureAwait(false);
        if (refusal is not null)
        {
            metrics.Batches.WithLabels("refused").Inc();
            return refusal;
        }

        var stored = await store.AddAsync(batch!.Windows, context.RequestAborted).ConfigureAwait(false);
        metrics.Batches.WithLabels("accepted").Inc();
        metrics.Windows.WithLabels("stored").Inc(stored);
        metrics.Windows.WithLabels("duplicate").Inc(batch.Windows.Length - stored);
        return TypedResults.Ok(new Dictionary<string, int>(StringComparer.Ordinal) { ["accepted"] = batch.Windows.Length, ["stored"] = stored });
    }

    private static async Task<IResult> QueryAsync(HttpContext context, IMeteringStore store, TimeProvider time)
    {
        var errors = new List<string>();
        var query = MeteringQuery.Parse(context.Request, time.GetUtcNow(), errors);
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", $"{errors.Count} problem(s).", errors);
        }

        var windows = await store.QueryAsync(query.Service, query.FromUnixMs, query.ToUnixMs, context.RequestAborted).ConfigureAwait(false);
        var totals = MeteringTotals.Compute(windows, query);
        if (query.Csv)
        {
            return TypedResults.Text(MeteringTotals.Csv(totals, query), "text/csv; charset=utf-8");
        }

        return TypedResults.Ok(new MeteringAnswer(query.FromUnixMs, query.ToUnixMs, query.GroupBy, windows.Count, totals));
    }
}
