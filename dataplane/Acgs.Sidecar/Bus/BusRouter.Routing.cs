// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.Contracts.BusWire;

namespace Acgs.Sidecar.Bus;

/// <summary>The router's admission checks and the routing of an admitted message (local agent, peer sidecar, offline store).</summary>
internal sealed partial class BusRouter
{
    /// <summary>
    /// Admission: hash, then (for an agent sender) from_agent and tenant against its registration,
    /// then expiry. <paramref name="sender"/> is null for trusted senders (peer sidecars, the HTTP API).
    /// </summary>
    public BusErrorCode Admit(in BusMessageView view, BusSession? sender)
    {
        var code = HashCode(Validator.Validate(view.ConstitutionalHash));
        if (code != BusErrorCode.None)
        {
            return code;
        }

        if (sender is not null)
        {
            if (!view.FromAgent.SequenceEqual(sender.AgentUtf8))
            {
                return BusErrorCode.AgentMismatch;
            }

            if (!view.TenantId.SequenceEqual(sender.TenantUtf8))
            {
                return BusErrorCode.TenantMismatch;
            }
        }

        return view.ExpiresAtUnixMs != 0 && NowUnixMs() >= view.ExpiresAtUnixMs ? BusErrorCode.Expired : BusErrorCode.None;
    }

    /// <summary>Routes an admitted message: local agent, peer sidecar, offline store, or unknown_agent.</summary>
    public void Route(RoutedMessage message, bool fromPeer)
    {
        if (!fromPeer)
        {
            Usage?.Record(message); // once, where the message enters the mesh
        }

        var recipient = FindLocal(message.ToAgent);
        if (recipient is not null)
        {
            if (Authorization is { } authorization && !authorization.Allows(fromPeer, message.PeerIdentity))
            {
                Reject(message, BusErrorCode.Forbidden);
                return;
            }

            if (!message.TenantId.SequenceEqual(recipient.TenantUtf8))
            {
                Reject(message, BusErrorCode.TenantMismatch);
                return;
            }

            if (recipient.Replaying && Store is { } replayStore)
            {
                replayStore.Save(message, recipient.AgentId!);
                return;
            }

            switch (recipient.Enqueue(message))
            {
                case EnqueueResult.Enqueued:
                    return;
                case EnqueueResult.Full:
                    Reject(message, BusErrorCode.Busy);
                    return;
                default:
                    break;
            }
        }

        if (!fromPeer && Directory.TryGetAddress(message.ToAgent, out var address) && PeerLinks.Get(address) is { } link)
        {
            switch (link.Enqueue(message))
            {
                case EnqueueResult.Enqueued:
                    Metrics.Forwarded((int)message.MessageType);
                    return;
                case EnqueueResult.Full:
                    Reject(message, BusErrorCode.Busy);
                    return;
                default:
                    PeerUnavailable(message);
                    return;
            }
        }

        if (Store is { } store)
        {
            store.Save(message, Encoding.UTF8.GetString(message.ToAgent));
            return;
        }

        Reject(message, BusErrorCode.UnknownAgent);
    }
}
