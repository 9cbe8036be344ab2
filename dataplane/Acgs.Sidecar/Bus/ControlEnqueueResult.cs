// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>Outcome of queuing a control frame (ack, error, pong) on a connection.</summary>
internal enum ControlEnqueueResult
{
    /// <summary>Queued for the writer.</summary>
    Enqueued = 0,

    /// <summary>The control queue is full: the connection does not read its replies (the owner closes it, <c>slow_reader</c>).</summary>
    Full = 1,

    /// <summary>The connection is closing.</summary>
    Closed = 2,
}
