// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;

namespace Acgs.ControlPlane.Metering;

/// <summary>Where the control plane keeps the sidecars' metering windows: each window id once, for the retention.</summary>
internal interface IMeteringStore
{
    /// <summary>Stores the windows whose ids are new (durably, before returning); returns how many were new.</summary>
    Task<int> AddAsync(IReadOnlyList<MeteringWindow> windows, CancellationToken cancellationToken);

    /// <summary>The windows of <paramref name="service"/> (null: every service) that started in [<paramref name="fromUnixMs"/>, <paramref name="toUnixMs"/>).</summary>
    Task<IReadOnlyList<MeteringWindow>> QueryAsync(string? service, long fromUnixMs, long toUnixMs, CancellationToken cancellationToken);
}
