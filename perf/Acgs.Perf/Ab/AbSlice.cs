// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Ab;

/// <summary>One measured slice of one variant: the requests it served in the slice, and the CPU seconds and
/// managed bytes its process spent from the end of its previous slice to the end of this one (so work done
/// between its slices, such as a batch export, is counted too).</summary>
/// <param name="Variant">The variant's name.</param>
/// <param name="Round">Round number, from 1.</param>
/// <param name="Slice">Slice number within the round, from 0.</param>
/// <param name="Requests">Requests served in the slice.</param>
/// <param name="CpuSeconds">CPU seconds (utime + stime of the process tree).</param>
/// <param name="AllocatedBytes">Managed bytes allocated, or null when the sidecar exposes none.</param>
/// <param name="PeerCpuSeconds">For a pair: the server sidecar's part of <paramref name="CpuSeconds"/> (which counts both).</param>
/// <param name="P90Ms">The slice's end-to-end p90 in ms (NaN when unknown).</param>
internal sealed record AbSlice(string Variant, int Round, int Slice, long Requests, double CpuSeconds, double? AllocatedBytes, double PeerCpuSeconds = 0, double P90Ms = double.NaN)
{
    /// <summary>CPU µs per request (NaN without requests).</summary>
    public double CpuUsPerRequest => Requests > 0 ? CpuSeconds * 1e6 / Requests : double.NaN;

    /// <summary>Managed bytes per request, or null.</summary>
    public double? BytesPerRequest => AllocatedBytes is { } b && Requests > 0 ? b / Requests : null;
}
