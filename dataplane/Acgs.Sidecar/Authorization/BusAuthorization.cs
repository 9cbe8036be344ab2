// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Authorization;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Identity;

namespace Acgs.Sidecar.Authorization;

/// <summary>
/// The bus side of the Authorization policies: a message about to be delivered to an agent of this service is judged
/// as a <c>POST /bus</c> request of its sending sidecar's identity. A message from a local agent (or the bus HTTP API)
/// was sent through this sidecar, so its caller is this sidecar's own identity (its SPIFFE ID, or its service name
/// while it holds no certificate). A message from a peer link is judged with the SPIFFE ID that link's client
/// certificate proved (<see cref="Bus.RoutedMessage.PeerIdentity"/>; mTLS whenever identity is on); a plaintext link
/// (identity off) is <c>unauthenticated</c>. Same matcher, counters and log as HTTP; a denial is the caller's
/// <c>forbidden</c> error frame.
/// </summary>
internal sealed class BusAuthorization
{
    /// <summary>The path bus messages are judged on (a rule's <c>to.paths</c> may name it).</summary>
    public const string Path = "/bus";

    private static readonly int PostBit = AuthorizationMethods.BitOfName("POST");
    private readonly ConfigApplier _config;
    private readonly WorkloadIdentity? _identity;
    private readonly string _service;
    private readonly AuthorizationLog _log;

    public BusAuthorization(ConfigApplier config, SidecarOptions options, AuthorizationLog log, WorkloadIdentity? identity = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _config = config;
        _service = options.ServiceName;
        _log = log;
        _identity = identity;
    }

    /// <summary>
    /// True when the message may be delivered: <paramref name="fromPeer"/> false = sent through this sidecar;
    /// true = arrived on a peer link whose verified SPIFFE ID is <paramref name="peerSpiffeId"/> (null: unauthenticated).
    /// </summary>
    public bool Allows(bool fromPeer, string? peerSpiffeId = null)
    {
        if (_config.CurrentOrNull?.Authorization is not { } matcher)
        {
            return true;
        }

        string? caller;
        AuthorizationCaller resolved;
        if (fromPeer)
        {
            caller = peerSpiffeId;
            resolved = matcher.Resolve(peerSpiffeId);
        }
        else if (_identity?.Current is { } credential)
        {
            caller = credential.SpiffeId;
            resolved = matcher.Resolve(caller);
        }
        else
        {
            caller = _service;
            resolved = matcher.ResolveService(_service);
        }

        var decision = matcher.Evaluate(resolved, Path, PostBit);
        decision.Count();
        if (decision.Result != AuthorizationResult.Allow)
        {
            _log.Record(decision, "bus", caller ?? PeerIdentityMiddleware.Unauthenticated);
        }

        return decision.Result != AuthorizationResult.Deny;
    }
}
