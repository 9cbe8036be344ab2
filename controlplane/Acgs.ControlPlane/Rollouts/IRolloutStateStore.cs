// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

/// <summary>Where the rollouts outlive a process: a file beside the embedded store, or a key in Redis shared by the replicas.</summary>
internal interface IRolloutStateStore
{
    /// <summary>True when the state is kept at all.</summary>
    bool Enabled { get; }

    /// <summary>True when several replicas share the state: it is loaded by the one that takes the lead, not at construction.</summary>
    bool Shared { get; }

    /// <summary>Where the state is kept (a path or a Redis key), for the log; null when it is not kept.</summary>
    string? Location { get; }

    /// <summary>The saved state, or null when there is none. An unreadable state is moved aside and null returned with its error.</summary>
    RolloutState? Load(out string? error);

    /// <summary>Replaces the saved state; throws <see cref="IOException"/> when it could not be written.</summary>
    Task SaveAsync(RolloutState state, CancellationToken cancellationToken);
}
