// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Api;
using System.Text;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Policies;
using Acgs.ControlPlane.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Acgs.ControlPlane.Policies;

/// <summary>The policy registry REST API under <c>/api/v1</c>.</summary>
internal static class PolicyEndpoints
{
    private const string Actor = "admin";

    /// <summary>Maps the policy and audit endpoints.</summary>
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1");
        var writes = api.MapGroup(string.Empty).WithMetadata(RequiresAdminToken.Instance);

        api.MapGet("/policies", ListAsync);
        api.MapGet("/policies/{id}", GetAsync);
        api.MapGet("/policies/{id}/versions", ListVersionsAsync);
        api.MapGet("/policies/{id}/versions/{version}", GetVersionAsync);
        api.MapGet("/policies/{id}/content", GetContentAsync);
        api.MapGet("/audit", AuditAsync);
        writes.MapPost("/policies", CreateAsync);
        writes.MapPost("/policies/{id}/versions", AddVersionAsync);
        writes.MapPut("/policies/{id}/activate", ActivateAsync);
        writes.MapPut("/policies/{id}/deactivate", DeactivateAsync);
        writes.MapDelete("/policies/{id}", DeleteAsync);
        writes.MapPost("/policies/validate", ValidateAsync);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(IPolicyStore store, Distribution.DistributionHub hub, CancellationToken cancellationToken)
    {
        var policies = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var views = new List<PolicyView>(policies.Count);
        foreach (var policy in policies)
        {
            views.Add(PolicyView.From(policy, hub.Quarantine));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(string id, IPolicyStore store, Distribution.DistributionHub hub, CancellationToken cancellationToken)
    {
        var policy = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return policy is null ? PolicyNotFound(id) : TypedResults.Ok(PolicyView.From(policy, hub.Quarantine));
    }

    private static async Task<IResult> ListVersionsAsync(string id, IPolicyStore store, CancellationToken cancellationToken)
    {
        var policy = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return policy is null ? PolicyNotFound(id) : TypedResults.Ok(PolicyView.From(policy).Versions);
    }

    private static async Task<IResult> GetVersionAsync(string id, string version, IPolicyStore store, CancellationToken cancellationToken)
    {
        var policy = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (policy is null)
        {
            return PolicyNotFound(id);
        }

        var record = policy.FindVersion(version);
        return record is null
            ? Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", $"policy '{id}' has no version {version}")
            : TypedResults.Ok(PolicyVersionView.From(record, withContent: true));
    }

    private static async Task<IResult> GetContentAsync(string id, IPolicyStore store, HttpContext context, CancellationToken cancellationToken)
    {
        var policy = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (policy is null)
        {
            return PolicyNotFound(id);
        }

        if (policy.FindVersion(policy.ActiveVersion) is not { } active)
        {
            return Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", $"policy '{id}' has no active version");
        }

        context.Response.Headers.ETag = "\"" + active.ContentSha256 + "\"";
        context.Response.Headers["X-Policy-Version"] = active.Version;
        return TypedResults.Text(active.Content, "application/json", Encoding.UTF8);
    }

    private static async Task<IResult> AuditAsync(IPolicyStore store, CancellationToken cancellationToken)
    {
        var entries = await store.ReadAuditAsync(cancellationToken).ConfigureAwait(false);
        var verification = AuditChain.Verify(entries);
        return TypedResults.Ok(new AuditView(verification.Valid, verification.Entries, verification.FirstInvalidSequence, verification.Reason, entries));
    }

    private static async Task<IResult> CreateAsync(CreatePolicyRequest? request, PolicyRegistry registry, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return BodyRequired();
        }

        var result = await registry.CreateAsync(request.Id, request.Description, Actor, cancellationToken).ConfigureAwait(false);
        return result.Policy is { } policy
            ? TypedResults.Created("/api/v1/policies/" + policy.Id, PolicyView.From(policy))
            : RegistryResults.ToProblem(result);
    }

    private static async Task<IResult> AddVersionAsync(string id, CreateVersionRequest? request, PolicyRegistry registry, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return BodyRequired();
        }

        var result = await registry.AddVersionAsync(id, request.Version, request.Content, Actor, cancellationToken).ConfigureAwait(false);
        if (result.Policy?.FindVersion(request.Version) is not { } version)
        {
            return RegistryResults.ToProblem(result);
        }

        return TypedResults.Created($"/api/v1/policies/{id}/versions/{version.Version}", PolicyVersionView.From(version, withContent: false));
    }

    private static async Task<IResult> ActivateAsync(string id, string? version, PolicyRegistry registry, CancellationToken cancellationToken)
    {
        var result = await registry.ActivateAsync(id, version, Actor, cancellationToken).ConfigureAwait(false);
        return result.Policy is { } policy ? TypedResults.Ok(PolicyView.From(policy)) : RegistryResults.ToProblem(result);
    }

    private static async Task<IResult> DeactivateAsync(string id, PolicyRegistry registry, CancellationToken cancellationToken)
    {
        var result = await registry.DeactivateAsync(id, Actor, cancellationToken).ConfigureAwait(false);
        return result.Policy is { } policy ? TypedResults.Ok(PolicyView.From(policy)) : RegistryResults.ToProblem(result);
    }

    private static async Task<IResult> DeleteAsync(string id, PolicyRegistry registry, CancellationToken cancellationToken)
    {
        var result = await registry.DeleteAsync(id, Actor, cancellationToken).ConfigureAwait(false);
        return result.Policy is not null ? TypedResults.NoContent() : RegistryResults.ToProblem(result);
    }

    private static async Task<IResult> ValidateAsync(ValidatePolicyRequest? request, PolicyRegistry registry, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return BodyRequired();
        }

        var result = await registry.ValidateAsync(request.Id, request.Content, cancellationToken).ConfigureAwait(false);
        return result.Status == RegistryStatus.Ok
            ? TypedResults.Ok(new Dictionary<string, object>(StringComparer.Ordinal) { ["valid"] = true, ["errors"] = Array.Empty<string>() })
            : RegistryResults.ToProblem(result);
    }

    private static IResult PolicyNotFound(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, Problems.NotFoundType, "Not found", $"policy '{id}' does not exist");

    private static IResult BodyRequired() =>
        Problems.Create(StatusCodes.Status400BadRequest, Problems.ValidationType, "Validation failed", "A JSON body is required.", ["body: is required"]);
}
