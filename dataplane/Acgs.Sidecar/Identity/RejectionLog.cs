// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Identity;

/// <summary>Counts every mTLS rejection and logs it at most once per peer and reason per minute (bounded memory).</summary>
internal sealed partial class RejectionLog
{
    private const int MaxPeers = 4096;
    private readonly ConcurrentDictionary<(string Peer, string Reason), long> _lastLogged = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly IdentityMetrics _metrics;

    public RejectionLog(TimeProvider time, ILogger<RejectionLog> logger, IdentityMetrics metrics)
    {
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Records a rejection of <paramref name="peer"/> (its SPIFFE ID, subject or address) on <paramref name="direction"/>.</summary>
    public void Reject(string direction, string peer, string reason)
    {
        _metrics.Rejections.WithLabels(reason).Inc();
        var now = _time.GetTimestamp();
        var key = (peer, reason);
        if (_lastLogged.TryGetValue(key, out var last) && _time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1))
        {
            return;
        }

        if (_lastLogged.Count >= MaxPeers)
        {
            _lastLogged.Clear();
        }

        _lastLogged[key] = now;
        LogRejected(direction, peer, reason);
    }

    [LoggerMessage(9010, LogLevel.Warning, "[cdd01ef066bc6cf2] mTLS {Direction}: peer {Peer} refused: {Reason} (logged at most once a minute per peer)")]
    private partial void LogRejected(string direction, string peer, string reason);
}
