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
    /// The heartbeat timer is armed once per interval, not once per snapshot: a push wakes a thousand streams at once, and
    /// arming and disarming a timer each is contention on the timer queues. A heartbeat is written every interval.
    /// </remarks>
    public static async Task RunAsync(PipeWriter body, Watcher watcher, TimeSpan heartbeat, CancellationToken aborted)
    {
        var reader = watcher.Pushes;
        var idle = Arm(heartbeat, aborted);
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                try
                {
                    if (!await reader.WaitToReadAsync(idle.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    idle.Dispose();
                    idle = Arm(heartbeat, aborted);
                    body.Write(Heartbeat);
                    await FlushAsync(body, aborted).ConfigureAwait(false);
                    continue;
                }

                // The shared bytes are copied straight into the response pipe; one flush per wake-up. A stream that asked for
                // deltas gets the patch from the snapshot it ACKed last when that is the service's previous one (and the patch is small).
                while (reader.TryRead(out var snapshot))
                {
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
                }

                await FlushAsync(body, aborted).ConfigureAwait(false);
            }
        }
        finally
        {
            idle.Dispose();
        }
    }

    private static CancellationTokenSource Arm(TimeSpan heartbeat, CancellationToken aborted)
    {
        var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        idle.CancelAfter(heartbeat);
        return idle;
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
