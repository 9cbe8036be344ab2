// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Identity;
using Acgs.ControlPlane.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// Who may make a sidecar call (watch, ACK/NACK, health and agent reports, deregistration). A workload token
/// (<see cref="WorkloadTokens"/>) is checked first and allows its own service and node only: another one is 403
/// <c>urn:acgs:sidecar-forbidden</c>, counted and appended to the audit chain. The shared sidecar token
/// (<see cref="SidecarAuthMode.Token"/>, <see cref="SidecarAuthMode.Open"/>) acts as any sidecar; anonymous calls pass in
/// <see cref="SidecarAuthMode.Open"/> only. Everything else is 401. Tokens are never logged or echoed.
/// </summary>
internal sealed partial class SidecarAccess
{
    /// <summary>Problem type of a workload acting for another service or node (403).</summary>
    public const string ForbiddenType = "urn:acgs:sidecar-forbidden";

    /// <summary>The audit action of a 403.</summary>
    public const string ForbiddenAction = "sidecar.forbidden";

    private readonly SidecarAuthMode _mode;
    private readonly BearerTokenVerifier _shared;
    private readonly CertificateAuthorityProvider _authority;
    private readonly IPolicyStore _audit;
    private readonly TimeProvider _time;
    private readonly AccessMetrics _metrics;
    private readonly ILogger _logger;

    public SidecarAccess(ControlPlaneOptions options, CertificateAuthorityProvider authority, IPolicyStore audit, TimeProvider time, AccessMetrics metrics,
        ILogger<SidecarAccess> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mode = options.SidecarAuth;
        _shared = new BearerTokenVerifier(options.SidecarToken);
        _authority = authority;
        _audit = audit;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>The effective mode.</summary>
    public SidecarAuthMode Mode => _mode;

    /// <summary>Who is calling, before any body is read; a 401 problem when the call carries no acceptable credential.</summary>
    public (SidecarCaller? Caller, IResult? Refusal) Authenticate(HttpContext context, string route)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization;
        if (header.Count == 1 && header[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && WorkloadTokens.IsWorkloadToken(value.AsSpan(7).Trim()))
        {
            var token = _authority.Current is { } ca ? WorkloadTokens.Verify(ca, value[7..].Trim(), _time.GetUtcNow(), out var reason) : null;
            if (token is null)
            {
                LogUnauthorized(route, "workload token invalid or expired");
                return (null, Unauthorized(context, route, "The workload token is invalid or expired; renew the workload certificate."));
            }

            return (new SidecarCaller("workload", token), null);
        }

        if (_mode != SidecarAuthMode.Identity && _shared.IsConfigured && _shared.Verify(header))
        {
            return (SidecarCaller.SharedToken, null);
        }

        if (_mode == SidecarAuthMode.Open && (header.Count == 0 || !_shared.IsConfigured))
        {
            return (SidecarCaller.Anonymous, null);
        }

        LogUnauthorized(route, header.Count == 0 ? "no credential" : "credential not accepted");
        return (null, Unauthorized(context, route, _mode == SidecarAuthMode.Identity
            ? "A workload credential (the control_plane_token of the workload certificate) is required."
            : "A workload credential or the sidecar token is required."));
    }

    /// <summary>
    /// Null when <paramref name="caller"/> may act for <paramref name="service"/> and <paramref name="node"/> (and counts it);
    /// else the 403 problem, counted, logged and audited.
    /// </summary>
    public async Task<IResult?> AuthorizeAsync(SidecarCaller caller, string route, string service, string node, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Workload is not { } workload
            || (string.Equals(workload.Service, service, StringComparison.Ordinal) && string.Equals(workload.Node, node, StringComparison.Ordinal)))
        {
            _metrics.Sidecar.WithLabels(route, caller.Kind).Inc();
            return null;
        }

        _metrics.Sidecar.WithLabels(route, "forbidden").Inc();
        LogForbidden(workload.SpiffeId, workload.Service, workload.Node, route, service, node);
        var detail = $"route={route} service={service} node={node} workload_service={workload.Service} workload_node={workload.Node}";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var result = await _audit.AppendAuditAsync(new AuditDraft(_time.GetUtcNow(), workload.SpiffeId, ForbiddenAction, "sidecar", null, detail), cancellationToken)
                .ConfigureAwait(false);
            if (result.Status == CommitStatus.Committed)
            {
                break;
            }
        }

        return Problems.Create(StatusCodes.Status403Forbidden, ForbiddenType, "Forbidden",
            $"This workload credential acts for service '{workload.Service}' node '{workload.Node}' only.");
    }

    /// <summary><see cref="Authenticate"/>, then <see cref="AuthorizeAsync"/>: for calls that name their service and node up front.</summary>
    public async Task<(SidecarCaller? Caller, IResult? Refusal)> CheckAsync(HttpContext context, string route, string service, string node)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (caller, refusal) = Authenticate(context, route);
        if (refusal is not null)
        {
            return (null, refusal);
        }

        refusal = await AuthorizeAsync(caller!, route, service, node, context.RequestAborted).ConfigureAwait(false);
        return refusal is null ? (caller, null) : (null, refusal);
    }

    private IResult Unauthorized(HttpContext context, string route, string detail)
    {
        _metrics.Sidecar.WithLabels(route, "unauthorized").Inc();
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Create(StatusCodes.Status401Unauthorized, Problems.UnauthorizedType, "Unauthorized", detail);
    }

    [LoggerMessage(5950, LogLevel.Debug, "[cdd01ef066bc6cf2] sidecar call refused (401) on {Route}: {Reason}")]
    private partial void LogUnauthorized(string route, string reason);

    [LoggerMessage(5951, LogLevel.Warning, "[cdd01ef066bc6cf2] sidecar call refused (403): {SpiffeId} (service {WorkloadService}, node {WorkloadNode}) tried {Route} for service {Service} node {Node}")]
    private partial void LogForbidden(string spiffeId, string workloadService, string workloadNode, string route, string service, string node);
}
