// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Bus.Client;

namespace Acgs.BusPerf;

/// <summary>
/// Posts through a <see cref="BusClient"/> the way the calibration posts to its socket: the frames due
/// are buffered, then written with one flush on the pacer's thread.
/// </summary>
internal sealed class ClientPoster(BusClient client) : IFramePoster
{
    public void Post(ReadOnlySpan<byte> frame) => client.PostRaw(frame, flush: false);

    public void Flush() => client.Flush();
}
