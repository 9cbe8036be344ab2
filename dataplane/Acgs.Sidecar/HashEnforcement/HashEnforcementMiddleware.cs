// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.HashEnforcement;

/// <summary>
/// Constitutional-hash enforcement on the inbound and outbound listeners (docs/architecture.md). The
/// admin listener is never checked. Outbound calls that lack the header are stamped with the primary
/// hash; a header that is present but invalid is judged by the mode: enforce → 403 problem+json
/// (<c>urn:acgs:constitutional-hash-mismatch</c>, never revealing an accepted value), audit → counted
/// and let through, off → not checked. The success path reads the header once and allocates nothing.
/// It first refuses a request whose <c>Content-Length</c> is over <see cref="ListenerLimits.MaxRequestBodyBytes"/>
/// with 413 problem+json (<c>urn:acgs:request-body-too-large</c>) before anything is forwarded.
/// </summary>
internal sealed class HashEnforcementMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly ConfigApplier _config;
    private readonly HashMetrics _metrics;
    private readonly long _maxBody;
    private readonly ClientFaultLog? _faults;

    /// <summary>Creates the middleware.</summary>
    public HashEnforcementMiddleware(RequestDelegate next, ListenerPorts ports, ConfigApplier config, HashMetrics metrics, ListenerLimits limits, ClientFaultLog? faults = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _next = next;
        _ports = ports;
        _config = config;
        _metrics = metrics;
        _maxBody = limits.MaxRequestBodyBytes;
        _faults = faults;
    }

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var listener = _ports.Classify(context.Connection.LocalPort);
        if (listener is not (ListenerKind.Inbound or ListenerKind.Outbound))
        {
            return _next(context);
        }

        if (context.Request.ContentLength > _maxBody)
        {
            return BodyTooLarge.WriteAsync(context, _maxBody, _faults);
        }

        var policy = _config.Current.Hash;
        var headers = context.Request.Headers;
        var values = headers[AcgsConstants.HashHeaderName];
        if (values.Count == 0 && listener == ListenerKind.Outbound)
        {
            headers[AcgsConstants.HashHeaderName] = policy.PrimaryHeaderValue;
            _metrics.Stamped();
            Tracing.MeshTracing.HashChecked("stamped");
            return _next(context);
        }

        if (policy.Mode == HashMode.Off || policy.IsExempt(context.Request.Path))
        {
            return _next(context);
        }

        var result = policy.Validator.Validate(values.Count, values.Count > 0 ? values[0] : default);
        if (result == HashValidationResult.Valid)
        {
            Tracing.MeshTracing.HashChecked("valid");
            return _next(context);
        }

        if (policy.Mode == HashMode.Audit)
        {
            _metrics.Audited(listener, result);
            Tracing.MeshTracing.HashChecked("audit_failed");
            return _next(context);
        }

        _metrics.Rejected(listener, result);
        Tracing.MeshTracing.HashChecked("rejected");
        return RejectAsync(context, result, values.Count > 0 ? values[0] : null);
    }

    private static Task RejectAsync(HttpContext context, HashValidationResult result, string? presented)
    {
        var reason = result.ToReason();
        var detail = result switch
        {
            HashValidationResult.Missing => "The X-Constitutional-Hash header is missing.",
            HashValidationResult.Empty => "The X-Constitutional-Hash header is empty.",
            HashValidationResult.Repeated => "The X-Constitutional-Hash header must be sent exactly once with one value.",
            HashValidationResult.Malformed => "The X-Constitutional-Hash header must be 16 lowercase hexadecimal characters.",
            _ => "The X-Constitutional-Hash header does not match an accepted constitutional hash.",
        };
        return string.IsNullOrEmpty(presented) || result == HashValidationResult.Empty
            ? ProblemResponse.WriteAsync(context, StatusCodes.Status403Forbidden, AcgsConstants.HashMismatchProblemType, "Constitutional hash rejected", detail, ("reason", reason))
            : ProblemResponse.WriteAsync(context, StatusCodes.Status403Forbidden, AcgsConstants.HashMismatchProblemType, "Constitutional hash rejected", detail, ("reason", reason), ("presented_prefix", ConstitutionalHashValidator.SafePrefix(presented)));
    }
}
