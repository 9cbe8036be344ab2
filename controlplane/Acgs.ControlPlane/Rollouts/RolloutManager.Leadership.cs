// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Rollouts;

internal sealed partial class RolloutManager
{
    private volatile string? _reloadReason;
    private volatile bool _following;

    /// <summary>
    /// This replica took the lead (replicas sharing <see cref="RedisRolloutState"/>): before its next operation the manager
    /// drops what it held and loads what the previous leader saved, so it continues those rollouts (active ones after a
    /// warm-up, as after a restart). <paramref name="why"/> goes into the rollouts' events.
    /// </summary>
    public void Lead(string why)
    {
        _following = false;
        _reloadReason = why;
    }

    /// <summary>
    /// This replica does not lead (replicas sharing <see cref="RedisRolloutState"/>): every operation first reloads the
    /// leader's saved state, so local reads (the status page) show it. Changes reach the leader by forwarding, not here.
    /// </summary>
    public void Follow() => _following = true;

    /// <summary>Takes the gate every operation holds, first reloading the saved state when <see cref="Lead"/> asked for it or this replica follows.</summary>
    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var why = Interlocked.Exchange(ref _reloadReason, null);
        if (why is not null || _following)
        {
            _rollouts.Clear();
            _order.Clear();
            _dirty = false;
            Load(why);
        }
    }
}
