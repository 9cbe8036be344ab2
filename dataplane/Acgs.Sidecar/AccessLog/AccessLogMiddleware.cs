// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Diagnostics;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.ObjectPool;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Acgs.Sidecar.AccessLog;

/// <summary>
/// Takes one <see cref="AccessLogEntry"/> per request of the inbound and outbound listeners when the response is
/// complete, if the request is sampled or its status is 500 or more, and hands it to the <see cref="AccessLogWriter"/>.
/// A pooled state and a completion callback, as the request telemetry does: nothing allocated per request. Only in
/// the pipeline while the access log is on (<see cref="UseIfEnabled"/>).
/// </summary>
internal sealed class AccessLogMiddleware
{
    private static readonly Func<object, Task> OnCompleted = CompleteAsync;
    private static readonly FrozenDictionary<ForwarderError, string> ForwarderErrors = Enum.GetValues<ForwarderError>().ToFrozenDictionary(static e => e, static e => e.ToString());

    private readonly RequestDelegate _next;
    private readonly ListenerPorts _ports;
    private readonly AccessLogWriter _writer;
    private readonly TimeProvider _time;
    private readonly double _sample;
    private readonly ObjectPool<State> _states = new DefaultObjectPool<State>(new StatePolicy(), Environment.ProcessorCount * 64);

    /// <summary>Creates the middleware.</summary>
    public AccessLogMiddleware(RequestDelegate next, ListenerPorts ports, AccessLogWriter writer, AccessLogOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _ports = ports;
        _writer = writer;
        _time = time;
        _sample = options.Sample;
    }

    /// <summary>Adds the middleware when the access log is on.</summary>
    public static void UseIfEnabled(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<AccessLogOptions>() is { Enabled: true })
        {
            app.UseMiddleware<AccessLogMiddleware>();
        }
    }

    /// <summary>Handles one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var listener = _ports.Classify(context.Connection.LocalPort);
        if (listener is ListenerKind.Inbound or ListenerKind.Outbound)
        {
            var state = _states.Get();
            state.Owner = this;
            state.Context = context;
            state.Listener = listener == ListenerKind.Inbound ? "inbound" : "outbound";
            state.Start = _time.GetUtcNow();
            state.Timestamp = Stopwatch.GetTimestamp();
            state.Sampled = _sample >= 1.0 || (_sample > 0.0 && Random.Shared.NextDouble() < _sample);
            state.TraceId = Activity.Current?.TraceId ?? default;
            context.Response.OnCompleted(OnCompleted, state);
        }

        return _next(context);
    }

    private static Task CompleteAsync(object value)
    {
        var state = (State)value;
        state.Owner!.Complete(state);
        return Task.CompletedTask;
    }

    private void Complete(State state)
    {
        var context = state.Context!;
        var status = context.Response.StatusCode;
        if (state.Sampled || status >= StatusCodes.Status500InternalServerError)
        {
            _writer.TryEnqueue(Entry(state, context, status));
        }

        _states.Return(state);
    }

    private static AccessLogEntry Entry(State state, HttpContext context, int status)
    {
        var request = context.Request;
        var headers = request.Headers;
        var proxy = context.Features.Get<IReverseProxyFeature>();
        var timing = context.Features.Get<RequestTiming>();
        var upstreamMs = timing is { UpstreamStart: not 0 } && timing.UpstreamEnd >= timing.UpstreamStart
            ? Stopwatch.GetElapsedTime(timing.UpstreamStart, timing.UpstreamEnd).TotalMilliseconds
            : -1.0;
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error;
        return new AccessLogEntry
        {
            Start = state.Start,
            DurationMs = Stopwatch.GetElapsedTime(state.Timestamp).TotalMilliseconds,
            UpstreamMs = upstreamMs,
            Listener = state.Listener!,
            Method = request.Method,
            Path = request.Path.Value ?? "/",
            Protocol = request.Protocol,
            Status = status,
            UpstreamError = error is { } e && e != ForwarderError.None ? ForwarderErrors.GetValueOrDefault(e) : null,
            BytesReceived = request.ContentLength,
            BytesSent = context.Response.ContentLength,
            Authority = request.Host.Value,
            UserAgent = headers.UserAgent.Count > 0 ? headers.UserAgent[0] : null,
            RequestId = headers.TryGetValue("x-request-id", out var id) && id.Count > 0 ? id[0] : null,
            Cluster = proxy?.Cluster?.Config.ClusterId,
            UpstreamHost = proxy?.ProxiedDestination?.Model.Config.Address,
            Caller = context.Features.Get<PeerIdentityFeature>()?.SpiffeId,
            TraceId = state.TraceId,
        };
    }

    private sealed class State
    {
        public AccessLogMiddleware? Owner { get; set; }

        public HttpContext? Context { get; set; }

        public string? Listener { get; set; }

        public DateTimeOffset Start { get; set; }

        public long Timestamp { get; set; }

        public bool Sampled { get; set; }

        public ActivityTraceId TraceId { get; set; }
    }

    private sealed class StatePolicy : PooledObjectPolicy<State>
    {
        public override State Create() => new();

        public override bool Return(State obj)
        {
            obj.Owner = null;
            obj.Context = null;
            obj.Listener = null;
            return true;
        }
    }
}
