// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Bus;

/// <summary>
/// One read batch's deferred writer wake-ups. While a connection's reader processes the frames of one read
/// (<see cref="Begin"/> … <see cref="End"/>, on one thread), a <see cref="PriorityOutbox"/> whose writer
/// should wake is only noted; <see cref="End"/> wakes each noted writer once. A writer then writes every
/// frame the batch queued for its connection with one flush, instead of one write and flush per frame (and,
/// where the transport sends inline, one socket write per frame). Per thread, allocation-free once warm.
/// </summary>
internal static class BusWriteBatch
{
    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static PriorityOutbox?[]? t_pending;

    [ThreadStatic]
    private static int t_count;

    /// <summary>Starts deferring wake-ups on this thread (nests; the outermost <see cref="End"/> wakes).</summary>
    public static void Begin() => t_depth++;

    /// <summary>Ends the batch: wakes every writer noted since the outermost <see cref="Begin"/>.</summary>
    public static void End()
    {
        if (--t_depth > 0)
        {
            return;
        }

        t_depth = 0;
        var pending = t_pending;
        var count = t_count;
        t_count = 0;
        for (var i = 0; i < count; i++)
        {
            var outbox = pending![i]!;
            pending[i] = null;

            // Not deferred any more (depth 0): what a woken writer queues elsewhere wakes at once.
            outbox.CompleteWait();
        }
    }

    /// <summary>Notes <paramref name="outbox"/>'s wake-up when a batch is open on this thread; false otherwise (wake now).</summary>
    public static bool TryDefer(PriorityOutbox outbox)
    {
        if (t_depth == 0)
        {
            return false;
        }

        var pending = t_pending ??= new PriorityOutbox?[16];
        if (t_count == pending.Length)
        {
            Array.Resize(ref pending, pending.Length * 2);
            t_pending = pending;
        }

        pending[t_count++] = outbox;
        return true;
    }
}
