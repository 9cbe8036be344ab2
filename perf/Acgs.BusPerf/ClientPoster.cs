// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Bus.Client;

namespace Acgs.BusPerf;

/// <summary>Posts through a <see cref="BusClient"/> (its send loop coalesces writes).</summary>
internal sealed class ClientPoster(BusClient client) : IFramePoster
{
    public void Post(ReadOnlySpan<byte> frame) => client.PostRaw(frame);

    public void Flush()
    {
    }
}
