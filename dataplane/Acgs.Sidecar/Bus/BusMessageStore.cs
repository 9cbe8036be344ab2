// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text;
using Acgs.Contracts.BusWire;
using StackExchange.Redis;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// The offline store: one Redis stream per agent (<c>acgs:bus:agent:{id}</c>, field <c>f</c> = the frame).
/// A message for an offline agent is added (XADD) and its sender gets an ack flagged stored; when the
/// agent registers, its stream is replayed in order (XRANGE) and each entry is deleted (XDEL) only
/// once the agent acknowledges it, so nothing stored is lost when a sidecar restarts.
/// Not the hot path: this allocates.
/// </summary>
internal sealed class BusMessageStore(BusRouter router, IConnectionMultiplexer redis)
{
    /// <summary>Prefix of the per-agent stream keys.</summary>
    public const string KeyPrefix = "acgs:bus:agent:";

    private const int ReplayBatch = 256;
    private static readonly RedisValue FrameField = "f";
    private readonly IDatabase _db = redis.GetDatabase();

    public static RedisKey Key(string agent) => KeyPrefix + agent;

    /// <summary>Counts what is stored (at start, for the gauge).</summary>
    public async Task<long> CountAsync()
    {
        long total = 0;
        foreach (var endPoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endPoint);
            if (server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(_db.Database, KeyPrefix + "*").ConfigureAwait(false))
            {
                total += await _db.StreamLengthAsync(key).ConfigureAwait(false);
            }
        }

        return total;
    }

    /// <summary>Stores <paramref name="message"/> for <paramref name="agent"/>; its sender gets an ack (stored) or an internal error.</summary>
    public void Save(RoutedMessage message, string agent)
    {
        if (message.Sender is HttpReplyTarget http)
        {
            http.StoreStarted(); // the HTTP API waits for the write: stored, or 503, never a silent 202
        }

        _ = SaveAsync(message, agent);
    }

    /// <summary>Deletes an acknowledged entry.</summary>
    public void Delete(string agent, string entryId)
    {
        _ = _db.StreamDeleteAsync(Key(agent), [entryId], CommandFlags.FireAndForget);
        router.Metrics.StoredRemoved();
    }

    /// <summary>Replays <paramref name="session"/>'s stream (a pass is running already: it runs again).</summary>
    public void StartReplay(BusSession session)
    {
        session.ReplayAgain = true;
        if (Interlocked.CompareExchange(ref session.ReplayRunning, 1, 0) == 0)
        {
            _ = ReplayAsync(session);
        }
    }

    private async Task SaveAsync(RoutedMessage message, string agent)
    {
        try
        {
            var frame = message.Frame.ToArray();
            await _db.StreamAddAsync(Key(agent), FrameField, frame).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            BusLog.StoreFailed(router.Logger, "XADD", ex.Message);
            router.Reject(message, BusErrorCode.Internal);
            return;
        }

        router.Acknowledge(message, BusFrameFlagBits.Stored);
        if (router.FindLocal(Encoding.UTF8.GetBytes(agent)) is { } session)
        {
            StartReplay(session);
        }
    }

    private async Task ReplayAsync(BusSession session)
    {
        var agent = session.AgentId!;
        try
        {
            while (session.ReplayAgain && session.IsOpen)
            {
                session.ReplayAgain = false;
                while (session.IsOpen)
                {
                    var start = session.LastReplayedId is { } last ? "(" + last : "-";
                    var entries = await _db.StreamRangeAsync(Key(agent), start, "+", ReplayBatch).ConfigureAwait(false);
                    if (entries.Length == 0)
                    {
                        break;
                    }

                    foreach (var entry in entries)
                    {
                        session.LastReplayedId = entry.Id;
                        if (!await EnqueueStoredAsync(session, agent, entry).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                }

                session.Replaying = false;
            }
        }
        catch (RedisException ex)
        {
            BusLog.StoreFailed(router.Logger, "XRANGE", ex.Message);
            session.Replaying = false;
        }
        finally
        {
            Volatile.Write(ref session.ReplayRunning, 0);
            if (session.ReplayAgain && session.IsOpen && Interlocked.CompareExchange(ref session.ReplayRunning, 1, 0) == 0)
            {
                _ = ReplayAsync(session);
            }
        }
    }

    private async Task<bool> EnqueueStoredAsync(BusSession session, string agent, StreamEntry entry)
    {
        var frame = (byte[]?)entry[FrameField];
        var message = router.Pool.Rent();
        message.StoreEntryId = entry.Id;
        message.StoreAgent = agent;
        message.DeliverFlags = BusFrameFlagBits.Redelivery;
        message.ReceivedTimestamp = Stopwatch.GetTimestamp();
        if (frame is null || frame.Length < BusWireConstants.HeaderSize)
        {
            router.Reject(message, BusErrorCode.MalformedFrame);
            Delete(agent, entry.Id!);
            return true;
        }

        message.Load(frame, router.Pool.Buffers);
        if (BusFrameParser.ParseMessage(message.Body, (BusFrameFlagBits)frame[BusWireConstants.FlagsOffset], out var view) != BusErrorCode.None)
        {
            router.Reject(message, BusErrorCode.MalformedFrame);
            Delete(agent, entry.Id!);
            return true;
        }

        message.Ranges = view.Ranges;
        message.Priority = view.Priority;
        message.MessageType = view.MessageType;
        message.ExpiresAtUnixMs = view.ExpiresAtUnixMs;
        if (!view.TenantId.SequenceEqual(session.TenantUtf8))
        {
            router.Reject(message, BusErrorCode.TenantMismatch);
            return true;
        }

        while (true)
        {
            switch (session.Enqueue(message))
            {
                case EnqueueResult.Enqueued:
                    return true;
                case EnqueueResult.Closed:
                    router.Release(message);
                    return false;
                default:
                    await Task.Delay(5).ConfigureAwait(false);
                    break;
            }
        }
    }
}
