// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.BusPerf;

/// <summary>Where the paced producer writes frames: the bus client, or a raw loopback socket (calibration).</summary>
internal interface IFramePoster
{
    void Post(ReadOnlySpan<byte> frame);

    void Flush();
}
