// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Replication;
using IServer = Microsoft.AspNetCore.Hosting.Server.IServer;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Acgs.ControlPlane.Leadership;

/// <summary>
/// Leader election of the control-plane replicas on one Redis: a lease key (<c>&lt;prefix&gt;leader</c>, holding the
/// leader's id and URL) taken with <c>SET NX PX</c> and renewed by its holder every third of
/// <see cref="LeadershipOptions.Lease"/> with a compare-and-extend script. A leader that cannot renew steps down two thirds
/// into its lease, before another replica can take the expired key, so two replicas never both believe they lead while
/// their clocks run at the same rate. A replica stopping releases the lease (compare-and-delete), so the next one takes
/// over within a renewal period. Starts campaigning once the server listens, so its URL is known. The lease is signed
/// with a key derived from the admin token (<see cref="LeaseSigner"/>); a lease without a valid signature is not followed.
/// </summary>
internal sealed partial class RedisLeaderElection : BackgroundService, ILeadership
{
    /// <summary>The key after the Redis prefix.</summary>
    public const string Key = "leader";

    // Extends the lease when this replica holds it, takes it back when it lapsed and nobody took it (a late renewal), else 0.
    private const string RenewScript = "local v = redis.call('get', KEYS[1]) if v == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) elseif not v then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 else return 0 end";
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKey _key;
    private readonly string _origin;
    private readonly LeadershipOptions _options;
    private readonly LeaderMetrics _metrics;
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisLeaderElection> _logger;
    private readonly LeaseSigner? _signer;
    private string? _untrusted;
    private volatile LeaderInfo? _leader;
    private volatile bool _isLeader;
    private LeaderInfo? _self;
    private long _renewedAt;

    public RedisLeaderElection(
        IConnectionMultiplexer redis, Hosting.ControlPlaneOptions host, RedisReplicaFanout fanout, LeadershipOptions options, LeaderMetrics metrics,
        IServer server, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<RedisLeaderElection> logger)
    {
        _redis = redis;
        _key = new RedisKey(host.RedisKeyPrefix + Key);
        _origin = fanout.Origin;
        _options = options;
        _metrics = metrics;
        _server = server;
        _lifetime = lifetime;
        _time = time;
        _logger = logger;
        _signer = host.AdminToken is { } token ? new LeaseSigner(token) : null; // no admin token: no writes to forward
    }

    /// <inheritdoc/>
    public event EventHandler<bool>? Changed;

    /// <inheritdoc/>
    public bool IsLeader => _isLeader;

    /// <inheritdoc/>
    public LeaderInfo? Leader => _leader;

    private TimeSpan RenewEvery => _options.Lease / 3;

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_isLeader && _self is { } self)
        {
            SetLeader(false, null);
            try
            {
                await _redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [_key], [self.Encode(_signer)]).ConfigureAwait(false);
                LogReleased();
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogRedisFailed(ex); // the lease then expires by itself
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await WaitForListenerAsync(stoppingToken).ConfigureAwait(false);
            _self = new LeaderInfo(_origin, AdvertisedUrl());
            LogCampaigning(_self.Url, (int)_options.Lease.TotalMilliseconds);
            while (!stoppingToken.IsCancellationRequested)
            {
                await TryLeadAsync().ConfigureAwait(false);
                await Task.Delay(RenewEvery, _time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TryLeadAsync()
    {
        var self = _self!;
        var db = _redis.GetDatabase();
        try
        {
            if (_isLeader)
            {
                if ((long)await db.ScriptEvaluateAsync(RenewScript, [_key], [self.Encode(_signer), (long)_options.Lease.TotalMilliseconds]).ConfigureAwait(false) == 1)
                {
                    _renewedAt = _time.GetTimestamp();
                    return;
                }

                LogLost("the lease is held by another replica");
                SetLeader(false, null);
            }

            if (await db.StringSetAsync(_key, self.Encode(_signer), _options.Lease, When.NotExists).ConfigureAwait(false))
            {
                _renewedAt = _time.GetTimestamp();
                SetLeader(true, self);
                return;
            }

            var raw = (string?)await db.StringGetAsync(_key).ConfigureAwait(false);
            var current = LeaderInfo.Decode(raw, _signer);
            if (current is null && raw is not null)
            {
                _metrics.Untrusted();
                if (!string.Equals(raw, _untrusted, StringComparison.Ordinal))
                {
                    LogUntrustedLease(); // once per value; the value itself may be an attacker's and is not logged
                }
            }

            _untrusted = current is null ? raw : null;
            if (!Equals(current, _leader))
            {
                _leader = current;
                if (current is not null)
                {
                    LogFollowing(current.Id, current.Url);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogRedisFailed(ex);
            if (_isLeader && _time.GetElapsedTime(_renewedAt) >= _options.Lease * 2 / 3)
            {
                LogLost("Redis unreachable for two thirds of the lease");
                SetLeader(false, null);
            }
        }
    }

    private void SetLeader(bool leads, LeaderInfo? leader)
    {
        _leader = leader;
        if (_isLeader == leads)
        {
            return;
        }

        _isLeader = leads;
        _metrics.Set(leads);
        if (leads)
        {
            LogGained();
        }

        Changed?.Invoke(this, leads);
    }

    private async Task WaitForListenerAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = _lifetime.ApplicationStarted.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), started);
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    private string AdvertisedUrl()
    {
        if (_options.AdvertiseUrl is { } configured)
        {
            return configured.GetLeftPart(UriPartial.Authority);
        }

        var first = new Uri("http://localhost");
        foreach (var address in _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            first = new Uri(address);
            break;
        }

        var host = first.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" ? Environment.MachineName : first.Host;
        return new UriBuilder(first.Scheme, host, first.Port).Uri.GetLeftPart(UriPartial.Authority);
    }
}
