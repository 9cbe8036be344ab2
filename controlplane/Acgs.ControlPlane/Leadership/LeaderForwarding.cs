// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Leadership;

/// <summary>
/// Sends calls to <see cref="RequiresLeader"/> endpoints that reach a replica which does not lead on to the leader (its
/// advertised URL), with the caller's method, path, query, body and credential, and copies the answer back with an
/// <c>X-Acgs-Leader</c> header; so any replica behind one Service answers rollouts and recovery consistently. A call that
/// was already forwarded once is never forwarded again (<c>X-Acgs-Forwarded-By</c>; a lead changing hands mid-call):
/// 503 <c>urn:acgs:no-leader</c> with <c>Retry-After</c>, as when no leader is known or the leader cannot be reached.
/// Runs after the admin authorization, so a forwarded call was checked here and is checked again by the leader.
/// </summary>
internal sealed partial class LeaderForwarding : IDisposable
{
    /// <summary>The header naming the replica that forwarded a call.</summary>
    public const string ForwardedByHeader = "X-Acgs-Forwarded-By";

    /// <summary>The header naming the leader that answered a forwarded call.</summary>
    public const string LeaderHeader = "X-Acgs-Leader";

    /// <summary>The problem type when no leader can answer.</summary>
    public const string NoLeaderType = "urn:acgs:no-leader";

    private static readonly string[] RequestHeaders = ["Authorization", "Content-Type", "Accept", "If-Match"];
    private static readonly string[] ResponseHeaders = ["Content-Type", "Location", "Retry-After", "ETag"];

    private readonly ILeadership _leadership;
    private readonly LeaderMetrics _metrics;
    private readonly HttpClient _client;
    private readonly string _replica;
    private readonly ILogger<LeaderForwarding> _logger;

    public LeaderForwarding(ILeadership leadership, LeaderMetrics metrics, Hosting.ControlPlaneOptions host, ILogger<LeaderForwarding> logger)
    {
        _leadership = leadership;
        _metrics = metrics;
        _replica = host.ReplicaId;
        _logger = logger;
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), UseCookies = false, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    /// <summary>The middleware: passes the call on when this replica leads or the endpoint is not leader-only, else forwards it.</summary>
    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return _leadership.IsLeader || context.GetEndpoint()?.Metadata.GetMetadata<RequiresLeader>() is null
            ? next(context)
            : ForwardAsync(context);
    }

    private async Task ForwardAsync(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(ForwardedByHeader))
        {
            _metrics.Forwarded("loop");
            await NoLeaderAsync(context, "the lead changed while the call was forwarded; retry").ConfigureAwait(false);
            return;
        }

        if (_leadership.Leader is not { } leader)
        {
            _metrics.Forwarded("no_leader");
            await NoLeaderAsync(context, "no control-plane replica leads yet (an election takes up to one lease); retry").ConfigureAwait(false);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), leader.Url + context.Request.Path + context.Request.QueryString);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var name in RequestHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value) && !request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        request.Headers.TryAddWithoutValidation(ForwardedByHeader, _replica);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            _metrics.Forwarded("unreachable");
            LogUnreachable(leader.Id, leader.Url, ex.Message);
            await NoLeaderAsync(context, $"the leader '{leader.Replica}' cannot be reached; retry").ConfigureAwait(false);
            return;
        }

        using (response)
        {
            _metrics.Forwarded("forwarded");
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var name in ResponseHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            context.Response.Headers[LeaderHeader] = leader.Replica;
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static Task NoLeaderAsync(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return Problems.Create(StatusCodes.Status503ServiceUnavailable, NoLeaderType, "No leader", detail).ExecuteAsync(context);
    }

    [LoggerMessage(5906, LogLevel.Warning, "[cdd01ef066bc6cf2] leader-only call not forwarded: leader {Leader} at {Url} unreachable: {Reason}")]
    private partial void LogUnreachable(string leader, string url, string reason);
}
