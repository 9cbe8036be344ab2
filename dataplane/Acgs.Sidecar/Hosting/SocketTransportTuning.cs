// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Kestrel socket-transport settings from the environment (measured with <c>./acgs perf
/// efficiency</c>, see docs/performance.md; the defaults are what measured best on 2 vCPUs):
/// <list type="bullet">
/// <item><c>ACGS_KESTREL_INLINE_SCHEDULING</c> (<c>0</c>/<c>1</c>, default <c>0</c>): Kestrel's
/// <see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/> — run request processing on the
/// socket I/O thread instead of dispatching it to the thread pool. Together with
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> it removes a thread hop per request, but
/// a slow request then holds an I/O thread; on the 2-vCPU perf machine it did not lower CPU per request.</item>
/// <item><c>ACGS_KESTREL_IO_QUEUES</c> (integer ≥ 0, default Kestrel's: the processor count, at
/// most 16): <see cref="SocketTransportOptions.IOQueueCount"/>; 0 schedules straight to the thread pool.</item>
/// </list>
/// An unparsable value is ignored (the default stays).
/// </summary>
internal static class SocketTransportTuning
{
    /// <summary>Environment variable of <see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>.</summary>
    public const string InlineSchedulingVariable = "ACGS_KESTREL_INLINE_SCHEDULING";

    /// <summary>Environment variable of <see cref="SocketTransportOptions.IOQueueCount"/>.</summary>
    public const string IOQueueCountVariable = "ACGS_KESTREL_IO_QUEUES";

    /// <summary>Applies the environment's settings to <paramref name="options"/>.</summary>
    public static void Configure(SocketTransportOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        switch (environment(InlineSchedulingVariable)?.Trim())
        {
            case "1" or "true" or "True":
                options.UnsafePreferInlineScheduling = true;
                break;
            case "0" or "false" or "False":
                options.UnsafePreferInlineScheduling = false;
                break;
        }

        if (int.TryParse(environment(IOQueueCountVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var queues) && queues <= 1024)
        {
            options.IOQueueCount = queues;
        }
    }
}
