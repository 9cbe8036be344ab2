// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Bus;

namespace Acgs.Sidecar.Metering;

/// <summary>
/// Meters a bus message where it enters the mesh — the sidecar that routes it for a local agent or its HTTP API, once,
/// never again on the receiving sidecar: source = the sending agent, operation = the recipient agent, the message's
/// tenant, status class 2, request bytes = the frame's length. No allocation once the names are known.
/// </summary>
internal sealed class BusUsage
{
    private readonly UsageRecorder _recorder;
    private readonly int _noTenant;

    public BusUsage(UsageRecorder recorder)
    {
        _recorder = recorder;
        _noTenant = recorder.Names.IdOf(Acgs.Contracts.Metering.MeteringKinds.NoTenant);
    }

    /// <summary>Records <paramref name="message"/>, about to be routed.</summary>
    public void Record(RoutedMessage message)
    {
        var names = _recorder.Names;
        var ranges = message.Ranges;
        var from = message.Buffer.AsSpan(BusWireConstants.HeaderSize + ranges.FromAgentOffset, ranges.FromAgentLength);
        _recorder.Record(true, names.IdOf(from), names.IdOf(message.ToAgent), message.TenantId.IsEmpty ? _noTenant : names.IdOf(message.TenantId), 2, message.Length, 0, 0);
    }
}
