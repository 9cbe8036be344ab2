// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Hosting;

/// <summary>The socket-transport settings of the HTTP listeners (<see cref="SocketTransportTuning"/>), read once at start.</summary>
internal sealed record SocketTransportSettings
{
    /// <summary>Kestrel's <c>UnsafePreferInlineScheduling</c> (<c>ACGS_KESTREL_INLINE_SCHEDULING</c>). Default on.</summary>
    public bool InlineScheduling { get; init; } = true;

    /// <summary>Kestrel's <c>IOQueueCount</c> (<c>ACGS_KESTREL_IO_QUEUES</c>, 0–1024); null = Kestrel's default.</summary>
    public int? IOQueueCount { get; init; }

    /// <summary>The listen backlog (<c>ACGS_KESTREL_BACKLOG</c>, 1–65535). Default <see cref="SocketTransportTuning.DefaultBacklog"/>.</summary>
    public int Backlog { get; init; } = SocketTransportTuning.DefaultBacklog;

    /// <summary>Kestrel's <c>WaitForDataBeforeAllocatingBuffer</c> (<c>ACGS_KESTREL_WAIT_FOR_DATA</c>). Default on (Kestrel's).</summary>
    public bool WaitForData { get; init; } = true;
}
