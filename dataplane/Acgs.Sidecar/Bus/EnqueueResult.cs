// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>Outcome of queueing a message on an outbox.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued.</summary>
    Enqueued = 0,

    /// <summary>The lane for its priority is full (answer busy).</summary>
    Full = 1,

    /// <summary>The connection is closing.</summary>
    Closed = 2,
}
