// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using HdrHistogram;

namespace Acgs.BusPerf;

/// <summary>
/// The calibration: the same frames at the same rate from producer to consumer over loopback TCP,
/// with no sidecar in between (the consumer parses frames with the same codec).
/// </summary>
internal sealed class DirectLoopback : IFramePoster, IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Socket _producer;
    private readonly PipeWriter _writer;
    private readonly Task _consumer;
    private LongHistogram _latency;
    private readonly byte[] _scratch = new byte[1024];
    private long _received;
    private long _goal = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DirectLoopback(TcpListener listener, Socket producer, Socket consumer, LongHistogram latency)
    {
        _listener = listener;
        _producer = producer;
        _writer = PipeWriter.Create(new NetworkStream(producer));
        _latency = latency;
        _consumer = Task.Factory.StartNew(() => ConsumeAsync(consumer), TaskCreationOptions.LongRunning).Unwrap();
    }

    public long Received => Volatile.Read(ref _received);

    public static async Task<DirectLoopback> StartAsync(LongHistogram latency)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var producer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptSocketAsync();
        await producer.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var consumer = await accept;
        consumer.NoDelay = true;
        return new DirectLoopback(listener, producer, consumer, latency);
    }

    public void Post(ReadOnlySpan<byte> frame) => _writer.Write(frame);

    public void Flush() => _writer.FlushAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        await _writer.CompleteAsync();
        _producer.Dispose();
        await _consumer;
        _listener.Stop();
    }

    private async Task ConsumeAsync(Socket socket)
    {
        var reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: true));
        while (true)
        {
            var result = await reader.ReadAsync();
            var buffer = result.Buffer;
            Consume(ref buffer);
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }
    }

    private void Consume(ref ReadOnlySequence<byte> buffer)
    {
        var scratch = _scratch;
        while (BusFrameReader.TryReadFrame(buffer, out var header, out var frame, out _) == BusFrameReadStatus.Complete)
        {
            frame.Slice(BusWireConstants.HeaderSize).CopyTo(scratch);
            if (BusFrameParser.ParseMessage(scratch.AsSpan(0, header.BodyLength), out var view) == BusErrorCode.None)
            {
                Record(_latency, view.Payload, _timeline);
                if (++_received == _goal)
                {
                    _reached.TrySetResult();
                }
            }

            buffer = buffer.Slice(frame.End);
        }
    }

    private SlowTimeline? _timeline;

    /// <summary>Completes once <paramref name="count"/> messages have been received since the last <see cref="Measure"/> (set before sending them).</summary>
    public Task WhenReceived(long count)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _goal, count);
        return _reached.Task;
    }

    /// <summary>After the warm-up (nothing in flight): records into <paramref name="latency"/> from now on and counts from zero.</summary>
    public void Measure(LongHistogram latency, SlowTimeline? timeline)
    {
        _latency = latency;
        _timeline = timeline;
        Volatile.Write(ref _goal, long.MaxValue);
        Volatile.Write(ref _received, 0);
    }

    public static void Record(LongHistogram histogram, ReadOnlySpan<byte> payload, SlowTimeline? timeline = null)
    {
        var intended = FrameTemplate.IntendedTicks(payload);
        var ticks = Stopwatch.GetTimestamp() - intended;
        var ns = (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));
        histogram.RecordValue(Math.Clamp(ns, 1, 60_000_000_000));
        timeline?.Note(intended, ns);
    }
}
