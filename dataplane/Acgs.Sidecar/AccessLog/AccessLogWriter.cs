// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace Acgs.Sidecar.AccessLog;

/// <summary>
/// Writes the access log on a thread of its own: requests hand their <see cref="AccessLogEntry"/> to a bounded queue
/// (full: the line is dropped and counted, the request never waits), and the writer formats lines into one buffer
/// and writes whole lines at a time (at most <see cref="FlushBytes"/> per write, so that on a pipe shared with the
/// process's log no line is ever split), flushing whenever the queue is empty.
/// </summary>
internal sealed partial class AccessLogWriter : IHostedService
{
    /// <summary>A write's size at most (a pipe writes up to 4,096 bytes atomically).</summary>
    public const int FlushBytes = 4000;

    private readonly Channel<AccessLogEntry> _queue;
    private readonly AccessLogOptions _options;
    private readonly AccessLogMetrics _metrics;
    private readonly Func<Stream> _open;
    private Task? _loop;

    /// <summary>A writer to the target of <paramref name="options"/>.</summary>
    public AccessLogWriter(AccessLogOptions options, AccessLogMetrics metrics)
        : this(options, metrics, () => Open(options), AccessLogOptions.QueueCapacity)
    {
    }

    /// <summary>A writer to the stream <paramref name="open"/> gives, with a queue of <paramref name="capacity"/> lines.</summary>
    internal AccessLogWriter(AccessLogOptions options, AccessLogMetrics metrics, Func<Stream> open, int capacity)
    {
        _options = options;
        _metrics = metrics;
        _open = open;
        _queue = Channel.CreateBounded<AccessLogEntry>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then answers false: the line is counted as dropped
        });
    }

    /// <summary>Queues <paramref name="entry"/>; false (and counted) when the queue is full.</summary>
    public bool TryEnqueue(in AccessLogEntry entry)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            return true;
        }

        _metrics.Dropped.Inc();
        return false;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete(); // later lines are dropped (and counted); the queued ones are written
        if (_loop is { } loop)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync()
    {
        await using var stream = _open();
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await DrainAsync(reader, buffer, stream).ConfigureAwait(false);
        }
    }

    private async Task DrainAsync(ChannelReader<AccessLogEntry> reader, ArrayBufferWriter<byte> buffer, Stream stream)
    {
        var lines = 0;
        while (reader.TryRead(out var entry))
        {
            var before = buffer.WrittenCount;
            Format(entry, buffer);
            if (buffer.WrittenCount > FlushBytes && before > 0)
            {
                // The last line would take this write past the bound: write the lines before it, keep it for the next.
                var line = buffer.WrittenSpan[before..].ToArray();
                await WriteAsync(stream, buffer.WrittenMemory[..before], lines).ConfigureAwait(false);
                buffer.ResetWrittenCount();
                buffer.Write(line);
                lines = 0;
            }

            lines++;
        }

        if (buffer.WrittenCount > 0)
        {
            await WriteAsync(stream, buffer.WrittenMemory, lines).ConfigureAwait(false);
            buffer.ResetWrittenCount();
        }
    }

    private async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> lines, int count)
    {
        try
        {
            await stream.WriteAsync(lines).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            _metrics.Written.Inc(count);
        }
        catch (IOException)
        {
            _metrics.Failures.Inc(); // a full disk or a closed pipe: the lines are lost, the requests are not
        }
    }

    private static Stream Open(AccessLogOptions options) => options.Target == AccessLogOptions.Stdout
        ? Console.OpenStandardOutput()
        : new FileStream(options.Target!, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0, useAsync: true);
}
