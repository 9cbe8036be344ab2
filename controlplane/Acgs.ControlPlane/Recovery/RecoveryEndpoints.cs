// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Validation;
using Acgs.ControlPlane.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// The recovery API under <c>/api/v1/recovery</c>. Reads are open like the other reads: <c>GET /api/v1/recovery</c>
/// (settings and counts), <c>GET /tasks</c> (active tasks in run order), <c>GET /tasks/{service}</c> (404 without an
/// active task), <c>GET /history?limit=N</c> (finished tasks, newest first). Operator actions need the admin token
/// (401/403 as every write): <c>POST /tasks/{service}/retry</c> (optional body <c>{"strategy","priority"}</c>; 200, or
/// 201 when it started a new task), <c>POST /tasks/{service}/cancel</c> (200 with the cancelled task, 404) and
/// <c>PATCH /tasks/{service}</c> (<c>{"strategy","priority"}</c>; 200, 404). 400 lists every problem; 409 when an
/// attempt for that service is running at that instant.
/// </summary>
internal static class RecoveryEndpoints
{
    /// <summary>Maps the recovery endpoints.</summary>
    public static IEndpointRouteBuilder MapRecoveryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/recovery").WithMetadata(Leadership.RequiresLeader.Instance); // any replica answers: the others forward to the leader
        group.MapGet(string.Empty, Settings);
        group.MapGet("/tasks", static (RecoveryOrchestrator orchestrator) => List(orchestrator.Tasks()));
        group.MapGet("/tasks/{service}", Show);
        group.MapGet("/history", History);
        group.MapPost("/tasks/{service}/retry", RetryAsync).WithMetadata(RequiresAdminToken.Instance);
        group.MapPost("/tasks/{service}/cancel", Cancel).WithMetadata(RequiresAdminToken.Instance);
        group.MapPatch("/tasks/{service}", UpdateAsync).WithMetadata(RequiresAdminToken.Instance);
        return endpoints;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<Dictionary<string, object>> List(IReadOnlyList<RecoveryTaskView> tasks) =>
        TypedResults.Ok(new Dictionary<string, object>(StringComparer.Ordinal) { ["tasks"] = tasks, ["count"] = tasks.Count });

    private static Microsoft.AspNetCore.Http.HttpResults.Ok<Dictionary<string, object>> Settings(RecoveryOrchestrator orchestrator)
    {
        var o = orchestrator.Options;
        var tasks = orchestrator.Tasks();
        return TypedResults.Ok(new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["enabled"] = o.Enabled,
            ["trigger"] = o.Trigger == RecoveryTrigger.Critical ? "critical" : "degraded",
            ["strategy"] = RecoveryNames.Of(o.Strategy),
            ["max_attempts"] = o.MaxAttempts,
            ["multiplier"] = o.Multiplier,
            ["initial_delay_ms"] = o.InitialDelay.TotalMilliseconds,
            ["max_delay_ms"] = o.MaxDelay.TotalMilliseconds,
            ["default_priority"] = o.DefaultPriority,
            ["priorities"] = o.Priorities,
            ["strategies"] = o.Strategies.ToDictionary(static p => p.Key, static p => RecoveryNames.Of(p.Value), StringComparer.Ordinal),
            ["history_size"] = o.HistorySize,
            ["active_tasks"] = tasks.Count,
        });
    }

    private static IResult Show(string service, RecoveryOrchestrator orchestrator)
    {
        if (InvalidService(service) is { } invalid)
        {
            return invalid;
        }

        return orchestrator.Task(service) is { } task
            ? TypedResults.Ok(task)
            : Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", $"service '{service}' has no active recovery task (finished ones are in /api/v1/recovery/history)");
    }

    private static IResult History(HttpContext context, RecoveryOrchestrator orchestrator)
    {
        var history = orchestrator.History();
        if (context.Request.Query["limit"] is { Count: > 0 } limitValues)
        {
            var max = orchestrator.Options.HistorySize;
            if (limitValues.Count > 1 || !int.TryParse(limitValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
            {
                return Validation([string.Create(CultureInfo.InvariantCulture, $"limit: must be one whole number 1-{max}")]);
            }

            if (limit < history.Count)
            {
                history = [.. history.Take(limit)];
            }
        }

        return List(history);
    }

    private static async Task<IResult> RetryAsync(HttpContext context, string service, RecoveryOrchestrator orchestrator)
    {
        var (request, errors) = await ReadAsync(context, required: false).ConfigureAwait(false);
        var strategy = default(RecoveryStrategy?);
        if (request is not null)
        {
            errors.AddRange(request.Validate(requireField: false, out strategy));
        }

        if (InvalidServiceError(service) is { } serviceError)
        {
            errors.Insert(0, serviceError);
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        var result = orchestrator.Retry(service, strategy, request?.Priority);
        return result.Status switch
        {
            RecoveryActionStatus.Created => TypedResults.Created($"/api/v1/recovery/tasks/{service}", result.Task),
            RecoveryActionStatus.Busy => Busy(service),
            _ => TypedResults.Ok(result.Task),
        };
    }

    private static IResult Cancel(string service, RecoveryOrchestrator orchestrator)
    {
        if (InvalidService(service) is { } invalid)
        {
            return invalid;
        }

        var result = orchestrator.Cancel(service);
        return Answer(service, result);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string service, RecoveryOrchestrator orchestrator)
    {
        var (request, errors) = await ReadAsync(context, required: true).ConfigureAwait(false);
        var strategy = default(RecoveryStrategy?);
        if (request is not null)
        {
            errors.AddRange(request.Validate(requireField: true, out strategy));
        }

        if (InvalidServiceError(service) is { } serviceError)
        {
            errors.Insert(0, serviceError);
        }

        if (errors.Count > 0)
        {
            return Validation(errors);
        }

        return Answer(service, orchestrator.Update(service, strategy, request!.Priority));
    }

    private static IResult Answer(string service, RecoveryActionResult result) => result.Status switch
    {
        RecoveryActionStatus.NotFound => Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", $"service '{service}' has no active recovery task"),
        RecoveryActionStatus.Busy => Busy(service),
        _ => TypedResults.Ok(result.Task),
    };

    private static IResult Busy(string service) => Problems.Create(StatusCodes.Status409Conflict, Problems.ConflictType, "Attempt in progress",
        $"a recovery attempt for '{service}' is running right now; repeat the request in a moment");

    private static IResult Validation(List<string> errors) => Problems.Create(
        StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", $"{errors.Count} problem(s); nothing was changed.", errors);

    private static string? InvalidServiceError(string? service) =>
        ServiceName.IsValid(service) ? null : "service: " + ServiceName.Rule;

    private static IResult? InvalidService(string service) => InvalidServiceError(service) is { } error ? Validation([error]) : null;

    /// <summary>Reads the optional JSON body; a missing body is an error only when <paramref name="required"/>.</summary>
    private static async Task<(RecoveryRequest? Request, List<string> Errors)> ReadAsync(HttpContext context, bool required)
    {
        var hasBody = context.Request.ContentLength is > 0 || (context.Request.ContentLength is null && context.Request.Headers.TransferEncoding.Count > 0);
        if (!hasBody)
        {
            return (null, required ? ["body: a JSON object with strategy and/or priority is required"] : []);
        }

        try
        {
            var request = await context.Request.ReadFromJsonAsync<RecoveryRequest>(context.RequestAborted).ConfigureAwait(false);
            return request is null && required ? (null, ["body: a JSON object with strategy and/or priority is required"]) : (request, []);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return (null, [Api.JsonErrors.Describe(ex)]);
        }
        catch (InvalidOperationException)
        {
            return (null, ["body: must be application/json"]);
        }
    }
}
