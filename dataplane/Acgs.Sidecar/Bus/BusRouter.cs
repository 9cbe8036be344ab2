// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
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
}
