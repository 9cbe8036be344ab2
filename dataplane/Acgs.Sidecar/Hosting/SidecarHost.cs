// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Logging;
using Acgs.Sidecar.AccessLog;
using Acgs.Sidecar.Admin;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tracing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// A sidecar instance: the composed <see cref="WebApplication"/> with its first snapshot applied.
/// Used by <c>Program</c> and, in-process with ports set to 0, by tests; the bound ports are
/// <see cref="InboundPort"/>, <see cref="OutboundPort"/>, <see cref="AdminPort"/> once started.
/// </summary>
internal sealed class SidecarHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ListenerPorts _ports;
    private IHostedService[] _hosted = [];

    private SidecarHost(WebApplication app, ListenerPorts ports, ApplyResult initial)
    {
        _app = app;
        _ports = ports;
        InitialApply = initial;
    }

    /// <summary>The outcome of applying the bootstrap snapshot.</summary>
    public ApplyResult InitialApply { get; }

    /// <summary>The application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The bound inbound port.</summary>
    public int InboundPort => _ports.Inbound;

    /// <summary>The bound outbound port.</summary>
    public int OutboundPort => _ports.Outbound;

    /// <summary>The bound admin port.</summary>
    public int AdminPort => _ports.Admin;

    /// <summary>Composes the sidecar and applies the bootstrap snapshot (check <see cref="InitialApply"/>).</summary>
    public static async Task<SidecarHost> CreateAsync(SidecarBootstrap bootstrap, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = "Acgs.Sidecar",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.AddAcgsConsole(bootstrap.LogFormat, TimeProvider.System);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // ASP.NET Core's hosting layer starts an Activity (and, through it, HttpClient's
        // DiagnosticsHandler a second one plus a traceparent header) and a log scope for every
        // request whenever this category is enabled at any level — ~1.5 KB and a dozen objects per
        // request. It only logs request start/finish (Information/Debug), so it is switched off.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);

        // Client faults never flood the log (docs/limits.md): YARP logs every failed forward (a bad chunk size, a
        // reset) as a warning with the exception's stack trace; the sidecar counts them instead, per cause, and logs
        // one line per cause per interval (ClientFaultLog). Kestrel's bad-request and connection logs are Debug.
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder.HttpForwarder", LogLevel.None);
        builder.Logging.AddFilter(KestrelRejectionCounter.Category, LogLevel.None);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.None);

        // ... but the requests Kestrel refuses itself are counted (and logged once per cause per interval) as well.
        var rejections = new KestrelRejectionCounter();
        builder.Logging.AddProvider(rejections);
        builder.Logging.AddFilter<KestrelRejectionCounter>(KestrelRejectionCounter.Category, LogLevel.Debug);

        // A failed start (a port in use) or a failed background service is reported by SidecarApp as one line and a
        // non-zero exit code; the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        var ports = new ListenerPorts();
        builder.WebHost.ConfigureKestrel(kestrel => KestrelListeners.Configure(kestrel, bootstrap.Options, ports, bootstrap.Transparent, bootstrap.Limits));
        builder.WebHost.UseSockets(sockets => SocketTransportTuning.Configure(sockets, bootstrap.Sockets));
        HttpTransportFactory.Register(builder.Services); // the HTTP listeners' accept loop backs off on EMFILE
        builder.Services.AddAcgsSidecar(bootstrap, ports);
        builder.Services.AddAcgsTracing(bootstrap.Tracing, bootstrap.Options.ServiceName); // nothing but the options while tracing is off
        builder.Services.AddAcgsAccessLog(bootstrap.AccessLog); // likewise for the access log
        configure?.Invoke(builder);

        var app = builder.Build();
        rejections.Attach(app.Services.GetRequiredService<ClientFaultLog>());
        var runtimeLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Acgs.Sidecar.Runtime");
        RuntimeLog.Runtime(runtimeLogger, RuntimeSettings.Capture().Describe());
        RuntimeLog.Limits(runtimeLogger, bootstrap.Limits.Describe());
        SidecarPipeline.Configure(app);
        _ = app.Services.GetRequiredService<DrainCoordinator>(); // hooks SIGTERM → draining
        var health = app.Services.GetRequiredService<HealthState>();
        app.Lifetime.ApplicationStarted.Register(static state => ((HealthState)state!).MarkStarted(), health);
        var initial = await app.Services.GetRequiredService<ConfigApplier>()
            .ApplyAsync(bootstrap.Snapshot, bootstrap.Source).ConfigureAwait(false);
        return new SidecarHost(app, ports, initial);
    }

    /// <summary>Once the host has started, gives back the memory only start-up needed (<see cref="ResidentTrim"/>). The
    /// process entry calls it; a test hosting the sidecar in its own process does not (the trim acts on the whole process).</summary>
    public void TrimAfterStart()
    {
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Acgs.Sidecar.Runtime");
        _app.Lifetime.ApplicationStarted.Register(static state => ResidentTrimLog.Trimmed((ILogger)state!, ResidentTrim.RunIfEnabled()), logger);
    }

    /// <summary>Starts listening.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Drains and stops (in-flight requests get up to the drain timeout).</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until SIGTERM/Ctrl-C or POST /drain, then drains.</summary>
    public Task RunAsync()
    {
        _hosted = [.. _app.Services.GetServices<IHostedService>()]; // RunAsync disposes the services when it returns
        return _app.RunAsync();
    }

    /// <summary>Completes when the host has shut down.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>After the host stopped: the first background service that ended with an exception (it stopped the
    /// host, so the process must exit non-zero), as one line; null when none did.</summary>
    public string? FailedService()
    {
        foreach (var service in _hosted)
        {
            if (service is BackgroundService { ExecuteTask: { IsFaulted: true } task })
            {
                var error = task.Exception?.GetBaseException();
                return $"{service.GetType().Name} failed: {error?.GetType().Name}: {error?.Message}".ReplaceLineEndings(" ");
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
