// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// Kestrel socket-transport settings for the HTTP listeners (inbound, outbound, admin; the bus port has
/// its own transport, see <c>Bus/BusTransportFactory</c>), from the environment. The defaults are what
/// measured best with <c>./acgs perf efficiency</c> and the gate (docs/performance.md):
/// <list type="bullet">
/// <item><c>ACGS_KESTREL_INLINE_SCHEDULING</c> (a boolean, default on): Kestrel's
/// <see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/> — a request is processed on the
/// socket engine thread that read it, and its response is written by the thread that flushes it, instead
/// of a thread-pool hop on receive and an I/O-queue hop on send. With inline socket completions (built
/// in, <see cref="RuntimeDefaults"/>) a proxied request then runs start to finish on one thread, with far
/// fewer context switches and futex calls and less CPU per request. The price: request-path code must
/// never block, or it stalls every connection of that socket engine — nothing in the sidecar's request
/// path blocks.</item>
/// <item><c>ACGS_KESTREL_IO_QUEUES</c> (0–1024, default Kestrel's: the processor count, at
/// most 16): <see cref="SocketTransportOptions.IOQueueCount"/>; 0 schedules straight to the thread pool.</item>
/// <item><c>ACGS_KESTREL_BACKLOG</c> (1–65535, default <see cref="DefaultBacklog"/>): the listen backlog
/// (<see cref="SocketTransportOptions.Backlog"/>, Kestrel's own default 512; the kernel caps it at
/// <c>net.core.somaxconn</c>). A sidecar stalled for 100 ms at 6,000 req/s (a descheduled CPU, a GC) can
/// find more than 512 new connections waiting to be accepted; past the backlog the kernel drops their SYNs
/// and each caller waits a 1 s retransmission (seen as <c>ListenOverflows</c> under injected stalls,
/// docs/performance.md). nginx in the perf lab listens with 4096 too.</item>
/// <item><c>ACGS_KESTREL_WAIT_FOR_DATA</c> (a boolean, default on, Kestrel's):
/// <see cref="SocketTransportOptions.WaitForDataBeforeAllocatingBuffer"/> — each read of a connection starts
/// with a zero-byte receive, so an idle connection holds no buffer; off reads straight into a pooled buffer
/// (one receive call fewer per request, a buffer held per waiting connection).</item>
/// </list>
/// An invalid value is a start-up problem (exit code 2), like every other setting.
/// </summary>
internal static class SocketTransportTuning
{
    /// <summary>Environment variable of <see cref="SocketTransportOptions.UnsafePreferInlineScheduling"/>.</summary>
    public const string InlineSchedulingVariable = "ACGS_KESTREL_INLINE_SCHEDULING";

    /// <summary>Environment variable of <see cref="SocketTransportOptions.IOQueueCount"/>.</summary>
    public const string IOQueueCountVariable = "ACGS_KESTREL_IO_QUEUES";

    /// <summary>Environment variable of <see cref="SocketTransportOptions.Backlog"/>.</summary>
    public const string BacklogVariable = "ACGS_KESTREL_BACKLOG";

    /// <summary>Environment variable of <see cref="SocketTransportOptions.WaitForDataBeforeAllocatingBuffer"/>.</summary>
    public const string WaitForDataVariable = "ACGS_KESTREL_WAIT_FOR_DATA";

    /// <summary>Listen backlog unless <see cref="BacklogVariable"/> says otherwise.</summary>
    public const int DefaultBacklog = 4096;

    /// <summary>Reads the three variables through <paramref name="settings"/>, which collects the problems.</summary>
    public static SocketTransportSettings Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = new SocketTransportSettings();
        return new SocketTransportSettings
        {
            InlineScheduling = settings.Bool(InlineSchedulingVariable, defaults.InlineScheduling),
            IOQueueCount = settings.OptionalWholeNumber(IOQueueCountVariable, 0, 1024),
            Backlog = settings.WholeNumber(BacklogVariable, defaults.Backlog, 1, 65535),
            WaitForData = settings.Bool(WaitForDataVariable, defaults.WaitForData),
        };
    }

    /// <summary>Applies <paramref name="settings"/> to <paramref name="options"/>.</summary>
    public static void Configure(SocketTransportOptions options, SocketTransportSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        options.UnsafePreferInlineScheduling = settings.InlineScheduling;
        if (settings.IOQueueCount is { } queues)
        {
            options.IOQueueCount = queues;
        }

        options.Backlog = settings.Backlog;
        options.WaitForDataBeforeAllocatingBuffer = settings.WaitForData;
    }
}
