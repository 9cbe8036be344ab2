// Constitutional Hash: cdd01ef066bc6cf2

using Yarp.ReverseProxy.Forwarder;

namespace Acgs.Sidecar.Forwarding.Direct;

/// <summary>The forwarding error of a request the sidecar's own path failed, as YARP's forwarder reports one.</summary>
internal sealed class DirectErrorFeature(ForwarderError error, Exception? exception) : IForwarderErrorFeature
{
    public ForwarderError Error { get; } = error;

    public Exception? Exception { get; } = exception;
}
