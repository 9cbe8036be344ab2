// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Api;

/// <summary>Says at start, once, what protects the API when that is weak: open sidecar routes, the shared sidecar token alone, open reads.</summary>
internal sealed partial class AccessWarnings : IHostedService
{
    private readonly ControlPlaneOptions _options;
    private readonly ILogger _logger;

    public AccessWarnings(ControlPlaneOptions options, ILogger<AccessWarnings> logger)
    {
        _options = options;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        switch (_options.SidecarAuth)
        {
            case SidecarAuthMode.Open:
                LogSidecarRoutesOpen();
                break;
            case SidecarAuthMode.Token:
                LogSharedTokenOnly();
                break;
        }

        if (_options.ApiReads == ApiReadAccess.Open)
        {
            LogReadsOpen();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(5960, LogLevel.Warning, "[cdd01ef066bc6cf2] nothing protects the sidecar routes (ACGS_SIDECAR_AUTH=open, or no ACGS_SIDECAR_TOKEN): any process that reaches this port can watch, report health and agents, ACK and deregister as any sidecar; set ACGS_SIDECAR_AUTH=identity (workload credentials)")]
    private partial void LogSidecarRoutesOpen();

    [LoggerMessage(5961, LogLevel.Warning, "[cdd01ef066bc6cf2] the shared sidecar token is accepted (ACGS_SIDECAR_AUTH=token): whoever holds it can act as any sidecar of any service; workload credentials are limited to their own service and node (ACGS_SIDECAR_AUTH=identity accepts only those)")]
    private partial void LogSharedTokenOnly();

    [LoggerMessage(5962, LogLevel.Warning, "[cdd01ef066bc6cf2] reads are open (ACGS_API_READS=open): policies, snapshots, audit and health are readable by anyone who reaches this port")]
    private partial void LogReadsOpen();
}
