// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Recovery;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary>A probe that blocks until the test releases it with an answer.</summary>
internal sealed class GatedProbe : IRecoveryProbe
{
    private readonly TaskCompletionSource<bool> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(bool healthy) => _answer.TrySetResult(healthy);

    public async ValueTask<RecoveryProbeResult> ProbeAsync(string service, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        var healthy = await _answer.Task.WaitAsync(cancellationToken);
        return new RecoveryProbeResult(healthy, healthy ? "gated healthy" : "gated unhealthy");
    }
}
