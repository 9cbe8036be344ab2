// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Core.ConstitutionalHash;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The bus's routing core: the registry of locally connected agents, admission checks (hash,
/// sender, tenant, expiry), routing by to_agent (local queue, peer sidecar, offline store) and the
/// final answer to every message's sender. Every message ends in exactly one of
/// <see cref="Acknowledge"/>, <see cref="Reject"/> or <see cref="Release"/>.
/// </summary>
internal sealed partial class BusRouter
{
    private readonly ConcurrentDictionary<string, BusSession> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BusSession>.AlternateLookup<ReadOnlySpan<char>> _agentLookup;
    private readonly ConcurrentDictionary<BusSession, byte> _sessions = new();
    private readonly ILogger _logger;

    public BusRouter(
        BusOptions options,
        BusMessagePool pool,
        BusMetrics metrics,
        BusLatencyStats stats,
        BusAgentDirectory directory,
        ConstitutionalHashValidator validator,
        TimeProvider time,
        ILogger<BusRouter> logger)
    {
        Options = options;
        Pool = pool;
        Metrics = metrics;
        Stats = stats;
        Directory = directory;
        Validator = validator;
        Time = time;
        _logger = logger;
        _agentLookup = _agents.GetAlternateLookup<ReadOnlySpan<char>>();
        PeerLinks = new BusPeerLinkPool(this);
        HttpSenders = new BusHttpSenders(options.MaxHttpSenders);
        metrics.ObserveHeldBytes(() => HeldBytes);
        directory.OnChanged(PeerLinks.Evict);
    }

    public BusOptions Options { get; }

    public BusMessagePool Pool { get; }

    public BusMetrics Metrics { get; }

    public BusLatencyStats Stats { get; }

    public BusAgentDirectory Directory { get; }

    public ConstitutionalHashValidator Validator { get; }

    public TimeProvider Time { get; }

    public BusPeerLinkPool PeerLinks { get; }

    /// <summary>Agents registered on the HTTP API (their ids are taken for the framed port too).</summary>
    public BusHttpSenders HttpSenders { get; }

    /// <summary>The offline store (set when Redis is configured).</summary>
    public BusMessageStore? Store { get; set; }

    /// <summary>The Authorization policies of this service, judged before a message reaches a local agent (set by the host).</summary>
    public Authorization.BusAuthorization? Authorization { get; set; }

    /// <summary>The sampling decision of the HTTP listeners, applied to messages carrying trace context (set from the host's
    /// tracing settings; without any, the parent-based default: a message's sampled flag is followed).</summary>
    public Tracing.TraceDecision TraceDecision { get; init; } = new(Tracing.TracingOptions.Off);

    /// <summary>Meters the messages that enter the mesh here (set with the metering shipper; null = not metered).</summary>
    public Metering.BusUsage? Usage { get; set; }

    internal ILogger Logger => _logger;

    /// <summary>Connected agents.</summary>
    public ICollection<BusSession> Agents => _agents.Values;

    public long NowUnixMs() => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Maps a hash check to the bus error code.</summary>
    public static BusErrorCode HashCode(HashValidationResult result) => result switch
    {
        HashValidationResult.Valid => BusErrorCode.None,
        HashValidationResult.Missing or HashValidationResult.Empty => BusErrorCode.HashMissing,
        _ => BusErrorCode.HashMismatch,
    };

    /// <summary>Accepted connections still open (agents and incoming peer links).</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Tracks an accepted connection (so shutdown can close it).</summary>
    public void Opened(BusSession session) => _sessions.TryAdd(session, 0);

    /// <summary>Forgets a closed connection.</summary>
    public void Closed(BusSession session) => _sessions.TryRemove(session, out _);

    /// <summary>Closes every accepted connection (shutdown): queued and in-flight messages are failed over.</summary>
    public void AbortAll()
    {
        foreach (var session in _sessions.Keys)
        {
            session.Abort();
        }

        PeerLinks.CloseAll();
    }

    public bool TryRegister(string agentId, BusSession session)
    {
        lock (HttpSenders.Gate)
        {
            if (HttpSenders.HoldsLocked(agentId) || !_agents.TryAdd(agentId, session))
            {
                return false;
            }
        }

        Metrics.AgentConnected();
        return true;
    }

    public void Unregister(BusSession session)
    {
        if (!session.IsPeer && session.AgentId is { } id && _agents.TryRemove(new KeyValuePair<string, BusSession>(id, session)))
        {
            Metrics.AgentDisconnected();
        }
    }

    /// <summary>Whether <paramref name="agentId"/> is registered on the framed port of this sidecar.</summary>
    public bool IsLocal(string agentId) => _agents.ContainsKey(agentId);

    /// <summary>The local session of the agent whose UTF-8 id is <paramref name="agentUtf8"/>.</summary>
    public BusSession? FindLocal(ReadOnlySpan<byte> agentUtf8)
    {
        Span<char> chars = stackalloc char[agentUtf8.Length];
        var n = Encoding.UTF8.GetChars(agentUtf8, chars);
        return _agentLookup.TryGetValue(chars[..n], out var session) ? session : null;
    }

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

    /// <summary>The message reached its end: answer its sender with an ack (or delete it from the store).</summary>
    public void Acknowledge(RoutedMessage message, BusFrameFlagBits flags)
    {
        if (message.Activity is not null)
        {
            Tracing.BusTracing.Finish(message, flags, BusErrorCode.None);
        }

        if ((flags & BusFrameFlagBits.Stored) != 0)
        {
            Metrics.Stored((int)message.MessageType);
        }
        else
        {
            Metrics.Delivered((int)message.MessageType);
        }

        if (message.StoreEntryId is { } entry && Store is { } store)
        {
            store.Delete(message.StoreAgent!, entry);
        }

        if (message.Sender is { } sender)
        {
            sender.OnAck(message, flags);
        }
        else
        {
            Release(message);
        }
    }

    /// <summary>The message is refused: answer its sender with an error frame; it is never delivered.</summary>
    public void Reject(RoutedMessage message, BusErrorCode code)
    {
        if (message.Activity is not null)
        {
            Tracing.BusTracing.Finish(message, BusFrameFlagBits.None, code);
        }

        Metrics.Rejected(message.Ranges.MessageIdLength == 0 ? BusMetrics.UnparsedType : (int)message.MessageType, code);
        if (message.StoreEntryId is { } entry && Store is { } store && code is BusErrorCode.Expired or BusErrorCode.TenantMismatch)
        {
            store.Delete(message.StoreAgent!, entry);
        }

        if (message.Sender is { } sender)
        {
            sender.OnError(message, code);
        }
        else
        {
            Release(message);
        }
    }

    /// <summary>A queued or in-flight message whose connection closed: keep it (store) or fail it.</summary>
    public void Failover(RoutedMessage message, BusEndpoint from)
    {
        if (message.StoreEntryId is not null)
        {
            Release(message);
            return;
        }

        if (from is not BusSession session)
        {
            PeerUnavailable(message);
            return;
        }

        if (Store is { } store)
        {
            store.Save(message, session.AgentId!);
            return;
        }

        Reject(message, BusErrorCode.UnknownAgent);
    }

    /// <summary>
    /// The sidecar hosting the recipient cannot be reached (link refused, broken or draining): the message
    /// goes to the offline store for the agent (delivered in order when it connects, to any sidecar sharing
    /// the store), else its sender gets the retryable <c>unavailable</c>. Not the hot path: this may allocate.
    /// </summary>
    public void PeerUnavailable(RoutedMessage message)
    {
        if (Store is { } store)
        {
            store.Save(message, Encoding.UTF8.GetString(message.ToAgent));
            return;
        }

        Reject(message, BusErrorCode.Unavailable);
    }

    public void Release(RoutedMessage message) => Pool.Return(message);
}
