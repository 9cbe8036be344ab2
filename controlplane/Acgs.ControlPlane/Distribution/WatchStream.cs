// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Acgs.Contracts.ControlPlane;

namespace Acgs.ControlPlane.Distribution;

/// <summary>Writes one watcher's queued snapshots to its NDJSON response, with a heartbeat line every interval.</summary>
internal static class WatchStream
{
    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(WatchLines.HeartbeatLine);

    /// <remarks>
    /// A periodic timer per stream wakes the loop for a heartbeat (<see cref="Watcher.Wake"/>), and so does the stream's end
    /// (<paramref name="aborted"/>): the loop's wait takes no cancellation token, so a heartbeat costs no timer re-arming,
    /// no cancellation source and no exception (thousands per interval on a replica with thousands of streams). A heartbeat
    /// line is written at each tick unless a snapshot line was written for that wake-up.
    /// </remarks>
    public static async Task RunAsync(PipeWriter body, Watcher watcher, TimeSpan heartbeat, TimeProvider time, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(watcher);
        ArgumentNullException.ThrowIfNull(time);
        var reader = watcher.Pushes;
        using var ticks = time.CreateTimer(static state => ((Watcher)state!).Wake(), watcher, heartbeat, heartbeat);
        using var ending = aborted.UnsafeRegister(static state => ((Watcher)state!).Wake(), watcher);
        while (!aborted.IsCancellationRequested)
        {
            if (!await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                return; // replaced by a newer stream of the node, or shutdown
            }

            // The shared bytes are copied straight into the response pipe; one flush per wake-up. A stream that asked for
            // deltas gets the patch from the snapshot it ACKed last when that is the service's previous one (and the patch is small).
            var wrote = false;
            while (reader.TryRead(out var snapshot))
            {
                if (snapshot is null)
                {
                    continue; // a wake-up: a heartbeat is due, or the stream is ending
                }

                var nonce = Guid.NewGuid().ToString("N");
                watcher.LastNonce = nonce;
                var line = SerializedSnapshot.Of(snapshot);
                var delta = watcher.Deltas && line.DeltaFrom(watcher.BaseVersion) is { } patch ? await patch.ConfigureAwait(false) : null;
                if (delta is null)
                {
                    line.WriteLine(body, nonce);
                }
                else
                {
                    SerializedSnapshot.WriteDelta(body, delta, nonce);
                }

                watcher.Wrote(snapshot, delta is not null);
                wrote = true;
            }

            if (aborted.IsCancellationRequested)
            {
                return;
            }

            if (!wrote)
            {
                body.Write(Heartbeat);
            }

            await FlushAsync(body, aborted).ConfigureAwait(false);
        }
    }

    private static async ValueTask FlushAsync(PipeWriter body, CancellationToken aborted)
    {
        var result = await body.FlushAsync(aborted).ConfigureAwait(false);
        if (result.IsCompleted || result.IsCanceled)
        {
            throw new IOException("the watch stream was closed");
        }
    }
}
