// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>The sender of a message posted over HTTP: completes when the message is acked or rejected.</summary>
internal sealed class HttpReplyTarget(BusRouter router) : IBusReplyTarget
{
    private readonly TaskCompletionSource<(BusErrorCode Code, BusFrameFlagBits Flags)> _outcome =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile bool _storing;

    public Task<(BusErrorCode Code, BusFrameFlagBits Flags)> Outcome => _outcome.Task;

    /// <summary>Whether the message went to the offline store (its write decides the answer: stored, or 503 when it fails).</summary>
    public bool Storing => _storing;

    /// <summary>The offline store started writing the message.</summary>
    public void StoreStarted() => _storing = true;

    public void OnAck(RoutedMessage message, BusFrameFlagBits flags)
    {
        router.Release(message);
        _outcome.TrySetResult((BusErrorCode.None, flags));
    }

    public void OnError(RoutedMessage message, BusErrorCode code)
    {
        router.Release(message);
        _outcome.TrySetResult((code, BusFrameFlagBits.None));
    }
}
