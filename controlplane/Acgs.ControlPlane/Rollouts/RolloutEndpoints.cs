// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.ControlPlane.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Rollouts;

/// <summary>
/// The rollout API under <c>/api/v1/rollouts</c>: <c>GET</c> list (<c>?service=</c>, <c>?phase=</c>) and <c>GET /{id}</c> are open
/// like the other reads; <c>POST</c> create and <c>POST /{id}/promote|pause|resume|abort</c> need the admin token.
/// Errors are problem+json with <c>errors</c> (every problem) and a <c>code</c>: <c>validation_failed</c> (400),
/// <c>not_found</c> / <c>unknown_service</c> (404), <c>rollout_active</c> / <c>rollout_finished</c> / <c>split_rejected</c> (409).
/// </summary>
internal static class RolloutEndpoints
{
    private const string Actor = "admin";
    private const string Route = "/api/v1/rollouts";

    /// <summary>Maps the rollout endpoints.</summary>
    public static IEndpointRouteBuilder MapRolloutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Route).WithMetadata(Leadership.RequiresLeader.Instance); // any replica answers: the others forward to the leader
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/", CreateAsync).WithMetadata(RequiresAdminToken.Instance);
        group.MapPost("/{id}/promote", static (string id, RolloutManager manager, CancellationToken ct) => RunAsync(manager.PromoteAsync(id, Actor, ct)))
            .WithMetadata(RequiresAdminToken.Instance);
        group.MapPost("/{id}/pause", static (string id, RolloutManager manager, CancellationToken ct) => RunAsync(manager.PauseAsync(id, Actor, ct)))
            .WithMetadata(RequiresAdminToken.Instance);
        group.MapPost("/{id}/resume", static (string id, RolloutManager manager, CancellationToken ct) => RunAsync(manager.ResumeAsync(id, Actor, ct)))
            .WithMetadata(RequiresAdminToken.Instance);
        group.MapPost("/{id}/abort", AbortAsync).WithMetadata(RequiresAdminToken.Instance);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(string? service, string? phase, RolloutManager manager, CancellationToken cancellationToken)
    {
        RolloutPhase? filter = null;
        if (phase is not null)
        {
            if (!RolloutPhases.TryParse(phase, out var parsed))
            {
                return Problem(StatusCodes.Status400BadRequest, "validation_failed", "Validation failed", ["phase: must be progressing, paused, succeeded or rolled_back"]);
            }

            filter = parsed;
        }

        var rollouts = await manager.ListAsync(service, filter, cancellationToken).ConfigureAwait(false);
        var views = new List<RolloutView>(rollouts.Count);
        foreach (var rollout in rollouts)
        {
            views.Add(RolloutView.From(rollout));
        }

        return TypedResults.Ok(new Dictionary<string, object>(StringComparer.Ordinal) { ["rollouts"] = views, ["count"] = views.Count });
    }

    private static async Task<IResult> GetAsync(string id, RolloutManager manager, CancellationToken cancellationToken) =>
        await manager.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } rollout
            ? TypedResults.Ok(RolloutView.From(rollout))
            : Problem(StatusCodes.Status404NotFound, "not_found", "Not found", [$"rollout '{id}' does not exist"]);

    private static async Task<IResult> CreateAsync(HttpContext context, RolloutManager manager)
    {
        var (request, error) = await ReadAsync<CreateRolloutRequest>(context, required: true).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var result = await manager.CreateAsync(request, Actor, context.RequestAborted).ConfigureAwait(false);
        return result.Outcome == RolloutOutcome.Created
            ? TypedResults.Created($"{Route}/{result.Rollout!.Id}", RolloutView.From(result.Rollout))
            : ToProblem(result);
    }

    private static async Task<IResult> AbortAsync(HttpContext context, string id, RolloutManager manager)
    {
        var (request, error) = await ReadAsync<AbortRolloutRequest>(context, required: false).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (request?.Reason is { Length: > 1024 })
        {
            return Problem(StatusCodes.Status400BadRequest, "validation_failed", "Validation failed", ["reason: at most 1024 characters"]);
        }

        return await RunAsync(manager.AbortAsync(id, Actor, request?.Reason, context.RequestAborted)).ConfigureAwait(false);
    }

    private static async Task<IResult> RunAsync(Task<RolloutResult> operation)
    {
        var result = await operation.ConfigureAwait(false);
        return result.Outcome == RolloutOutcome.Ok ? TypedResults.Ok(RolloutView.From(result.Rollout!)) : ToProblem(result);
    }

    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext context, bool required)
        where T : class
    {
        if (!required && context.Request.ContentLength is null or 0 && !context.Request.HasJsonContentType())
        {
            return (null, null);
        }

        try
        {
            return (await context.Request.ReadFromJsonAsync<T>(context.RequestAborted).ConfigureAwait(false), null);
        }
        catch (JsonException ex)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "validation_failed", "Validation failed", [JsonErrors.Describe(ex)]));
        }
        catch (InvalidOperationException)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, "validation_failed", "Validation failed", ["body: must be application/json"]));
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ToProblem(RolloutResult result) => result.Outcome switch
    {
        RolloutOutcome.Invalid => Problem(StatusCodes.Status400BadRequest, "validation_failed", "Validation failed", result.Errors),
        RolloutOutcome.NotFound => Problem(StatusCodes.Status404NotFound, "not_found", "Not found", result.Errors),
        RolloutOutcome.UnknownService => Problem(StatusCodes.Status404NotFound, "unknown_service", "Unknown service", result.Errors),
        RolloutOutcome.ActiveRolloutExists => Problem(StatusCodes.Status409Conflict, "rollout_active", "Rollout already active", result.Errors),
        RolloutOutcome.Finished => Problem(StatusCodes.Status409Conflict, "rollout_finished", "Rollout finished", result.Errors),
        _ => Problem(StatusCodes.Status409Conflict, "split_rejected", "Traffic split rejected", result.Errors),
    };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string code, string title, IReadOnlyList<string> errors) => TypedResults.Problem(
        detail: errors.Count == 1 ? errors[0] : $"{errors.Count} problem(s); nothing was changed.",
        statusCode: status,
        title: title,
        type: status switch
        {
            StatusCodes.Status400BadRequest => Problems.ValidationType,
            StatusCodes.Status404NotFound => Problems.NotFoundType,
            _ => Problems.ConflictType,
        },
        extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code, ["errors"] = errors });
}
