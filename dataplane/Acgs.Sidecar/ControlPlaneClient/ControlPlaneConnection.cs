// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Acgs.Contracts.ControlPlane;
using Acgs.Contracts.Discovery;
using Acgs.Contracts.Health;
using Acgs.Contracts.Serialization;
using Acgs.Sidecar.Identity;
using Polly;

namespace Acgs.Sidecar.ControlPlaneClient;

/// <summary>
/// The sidecar's one connection to its control plane (as linkerd2-proxy has one client for its control plane): one
/// handler and <see cref="HttpClient"/>, one credential as a Bearer header on every call (<see cref="AuthorizationAsync"/>: the workload's
/// control-plane token, else the shared sidecar token), a per-call timeout of
/// <see cref="RequestTimeout"/> as a Polly pipeline on <see cref="Time"/>, and typed calls for every contract in
/// <c>Acgs.Contracts</c> (paths from <see cref="ControlPlaneRoutes"/>, bodies through the source-generated context: Native AOT safe).
/// The watch stream, the health and agent reports, the ACK/NACK and the deregistration all go through it; a new contract
/// (e.g. an identity request) is one more call to <see cref="SendAsync{TRequest}"/> or <see cref="SendAsync{TRequest,TResponse}"/>.
/// Retries are the callers' (<see cref="ControlPlaneResilience"/>): each knows its own rhythm.
/// </summary>
internal sealed class ControlPlaneConnection : IDisposable
{
    /// <summary>The longest a call other than the watch stream may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly ResiliencePipeline _request;
    private readonly AuthenticationHeaderValue? _shared;
    private readonly WorkloadIdentity? _identity;

    /// <summary>
    /// Connects to <see cref="ControlPlaneClientOptions.Url"/>; <paramref name="handler"/> replaces the default
    /// <see cref="SocketsHttpHandler"/> (e.g. one that presents a client certificate) and is then owned by this connection.
    /// With <paramref name="identity"/> on, every call carries the workload's control-plane token (<see cref="AuthorizationAsync"/>).
    /// </summary>
    public ControlPlaneConnection(ControlPlaneClientOptions options, TimeProvider time, HttpMessageHandler? handler = null, WorkloadIdentity? identity = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        Options = options;
        Time = time;
        handler ??= new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5), PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = options.Url, Timeout = Timeout.InfiniteTimeSpan };
        _shared = options.Token is null ? null : new AuthenticationHeaderValue("Bearer", options.Token);
        _identity = identity is { Enabled: true } ? identity : null;
        _request = ControlPlaneResilience.Request(time, RequestTimeout);
    }

    /// <summary>
    /// The credential of the next call: the workload's control-plane token while it holds an unexpired one; else the shared
    /// sidecar token (<c>ACGS_CONTROL_PLANE_TOKEN</c>, the bootstrap option); else, with identity on, it waits for the first
    /// certificate (obtained with the join or ServiceAccount token, which no other call ever carries); else none.
    /// </summary>
    public async ValueTask<AuthenticationHeaderValue?> AuthorizationAsync(CancellationToken cancellationToken)
    {
        if (_identity is null)
        {
            return _shared;
        }

        if (_shared is null)
        {
            await _identity.FirstCredential.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return _identity.Current is { ControlPlaneToken: { } token } credential && credential.ControlPlaneTokenExpiresAt > Time.GetUtcNow()
            ? new AuthenticationHeaderValue("Bearer", token)
            : _shared;
    }

    /// <summary>The client settings (URL, service, node, intervals).</summary>
    public ControlPlaneClientOptions Options { get; }

    /// <summary>The clock of every delay and timeout of the client.</summary>
    public TimeProvider Time { get; }

    /// <summary>Opens this sidecar's watch stream (headers read; the caller reads and disposes the body); throws on a non-2xx answer.</summary>
    public async Task<HttpResponseMessage> OpenWatchAsync(CancellationToken cancellationToken)
    {
        var path = ControlPlaneRoutes.Watch(Options.ServiceName, Options.NodeId, Options.InboundAddress, deltas: true);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            response.EnsureSuccessStatusCode();
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens this sidecar's ACK stream when <paramref name="watch"/> (the open watch response) says the control plane takes one
    /// and <see cref="ControlPlaneClientOptions.AckStream"/> is on; else null (answers go by <see cref="AcknowledgeAsync"/>).
    /// </summary>
    public async Task<AckStream?> OpenAckStreamAsync(HttpResponseMessage watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        if (!Options.AckStream || !watch.Headers.TryGetValues(WatchLines.AckStreamHeader, out var offered) || !offered.Contains("1"))
        {
            return null;
        }

        var authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        return new AckStream(_http, ControlPlaneRoutes.AckStream(Options.ServiceName, Options.NodeId), authorization, Time);
    }

    /// <summary>Reports this sidecar's breakers.</summary>
    public Task<ControlPlaneAnswer> ReportHealthAsync(HealthReport report, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, ControlPlaneRoutes.NodeHealth(Options.ServiceName, Options.NodeId), report, AcgsJsonContext.Default.HealthReport, cancellationToken);

    /// <summary>Reports the agents connected to this sidecar's bus.</summary>
    public Task<ControlPlaneAnswer> ReportAgentsAsync(BusAgentReport report, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, ControlPlaneRoutes.AgentReport(Options.ServiceName, Options.NodeId), report, AcgsJsonContext.Default.BusAgentReport, cancellationToken);

    /// <summary>ACKs or NACKs a pushed snapshot.</summary>
    public Task<ControlPlaneAnswer> AcknowledgeAsync(SnapshotAck ack, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, ControlPlaneRoutes.Ack, ack, AcgsJsonContext.Default.SnapshotAck, cancellationToken);

    /// <summary>Deregisters this node from the health aggregation (<c>DELETE</c>, no body).</summary>
    public async Task<ControlPlaneAnswer> DeregisterAsync(CancellationToken cancellationToken)
    {
        var path = new Uri(ControlPlaneRoutes.NodeHealth(Options.ServiceName, Options.NodeId), UriKind.Relative);
        var authorization = await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        return await _request.ExecuteAsync(
            static async (state, token) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, state.Path);
                request.Headers.Authorization = state.Authorization;
                using var response = await state.Http.SendAsync(request, token).ConfigureAwait(false);
                return await AnswerAsync(response, token).ConfigureAwait(false);
            },
            (Http: _http, Path: path, Authorization: authorization),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="body"/> (JSON through <paramref name="type"/>) to <paramref name="path"/>.</summary>
    public async Task<ControlPlaneAnswer> SendAsync<TRequest>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> type, CancellationToken cancellationToken)
    {
        var answer = await SendAsync<TRequest, object>(method, path, body, type, responseType: null, cancellationToken).ConfigureAwait(false);
        return answer.Answer;
    }

    /// <summary>
    /// Sends <paramref name="body"/> and reads a 2xx answer's body as <typeparamref name="TResponse"/> (through
    /// <paramref name="responseType"/>; a 204 has none); <paramref name="authorization"/>, when given, replaces the sidecar token for this
    /// call (e.g. a bootstrap credential).
    /// </summary>
    public async Task<ControlPlaneAnswerOf<TResponse>> SendAsync<TRequest, TResponse>(
        HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> type, JsonTypeInfo<TResponse>? responseType, CancellationToken cancellationToken,
        AuthenticationHeaderValue? authorization = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(type);
        authorization ??= await AuthorizationAsync(cancellationToken).ConfigureAwait(false);
        var call = (Http: _http, Method: method, Path: new Uri(path, UriKind.Relative), Body: body, Type: type, ResponseType: responseType, Authorization: authorization);
        return await _request.ExecuteAsync(
            static async (call, token) =>
            {
                using var request = new HttpRequestMessage(call.Method, call.Path) { Content = JsonContent.Create(call.Body, call.Type) };
                if (call.Authorization is not null)
                {
                    request.Headers.Authorization = call.Authorization;
                }

                using var response = await call.Http.SendAsync(request, token).ConfigureAwait(false);
                var answer = await AnswerAsync(response, token).ConfigureAwait(false);
                var value = answer.Accepted && call.ResponseType is not null && response.StatusCode != System.Net.HttpStatusCode.NoContent
                    ? await response.Content.ReadFromJsonAsync(call.ResponseType, token).ConfigureAwait(false)
                    : default;
                return new ControlPlaneAnswerOf<TResponse>(answer, value);
            },
            call,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static async Task<ControlPlaneAnswer> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.IsSuccessStatusCode
            ? new ControlPlaneAnswer((int)response.StatusCode, null)
            : new ControlPlaneAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
}
