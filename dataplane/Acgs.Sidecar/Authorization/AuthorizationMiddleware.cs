// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Authorization;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// Who may call this service (docs/authorization.md), on the inbound listener after the peer identity is known and
/// before the app: the active snapshot's <see cref="AuthorizationMatcher"/> decides on the caller (its mTLS SPIFFE ID,
/// or unauthenticated), the path and the method. Deny → 403 <c>application/problem+json</c>,
/// <c>urn:acgs:forbidden-peer</c>, naming the rule (never the policy's contents); dry-run deny → counted, logged
/// (rate-limited) and let through. Every decision counts in <c>acgs_authz_decisions_total</c>. No allocation on the allow path.
/// </summary>
internal sealed class AuthorizationMiddleware
{
    /// <summary>The problem type of a denial.</summary>
    public const string ProblemType = "urn:acgs:forbidden-peer";

    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly ConfigApplier _config;
    private readonly AuthorizationLog _log;

    public AuthorizationMiddleware(RequestDelegate next, ListenerPorts ports, ConfigApplier config, AuthorizationLog log)
    {
        _next = next;
        _ports = ports;
        _config = config;
        _log = log;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_config.CurrentOrNull?.Authorization is not { } matcher || _ports.Classify(context.Connection.LocalPort) != ListenerKind.Inbound)
        {
            return _next(context);
        }

        var peer = context.Features.Get<PeerIdentityFeature>();
        var caller = matcher.Resolve(peer is null ? default : peer.SpiffeId.AsSpan());
        var decision = matcher.Evaluate(caller, context.Request.Path.Value.AsSpan(), AuthorizationMethods.BitOfRequest(context.Request.Method));
        decision.Count();
        switch (decision.Result)
        {
            case AuthorizationResult.Allow:
                Tracing.MeshTracing.AuthorizationDecided("allow", decision.Rule.Id);
                return _next(context);
            case AuthorizationResult.DryRunDeny:
                _log.Record(decision, "http", peer?.SpiffeId ?? PeerIdentityMiddleware.Unauthenticated);
                Tracing.MeshTracing.AuthorizationDecided("dry_run_deny", decision.Rule.Id);
                Tracing.MeshTracing.AuthorizationDenied(decision.Rule.Id, dryRun: true);
                return _next(context);
            default:
                _log.Record(decision, "http", peer?.SpiffeId ?? PeerIdentityMiddleware.Unauthenticated);
                Tracing.MeshTracing.AuthorizationDecided("deny", decision.Rule.Id);
                Tracing.MeshTracing.AuthorizationDenied(decision.Rule.Id, dryRun: false);
                return ProblemResponse.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemType, "Caller not allowed",
                    "An Authorization policy of this service does not allow this caller to make this request.", ("rule", decision.Rule.Id));
        }
    }
}
