// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Acgs.Contracts.BusWire;

namespace Acgs.Bus.Client;

/// <summary>
/// An agent's connection to its sidecar's bus port. Sends are pipelined: frames are appended to a
/// buffer under a lock and a single send loop writes whatever has accumulated in one socket write.
/// <see cref="SendAsync"/> completes when the recipient acknowledges (or the sidecar rejects);
/// <see cref="Post(in BusMessageEnvelope, ReadOnlySpan{byte})"/> is the fire-and-correlate variant reporting to <see cref="BusClientOptions.OnReply"/>.
/// <see cref="Flush"/> writes on the calling thread when no write is in progress (no hand-off to the send
/// loop); the receive loop uses it to write the acknowledgements of each read batch in one socket write.
/// </summary>
public sealed partial class BusClient : IAsyncDisposable
{
    private const int InitialWriteBuffer = 64 * 1024;
    private const int MaxAckBackoff = 3;
    private readonly Socket _socket;
    private readonly PipeReader _reader;
    private readonly Lock _writeLock = new();
    private readonly SemaphoreSlim _writeSignal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<BusSendResult>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<BusSendResult>>.AlternateLookup<ReadOnlySpan<char>> _pendingLookup;
    private readonly ConcurrentQueue<TaskCompletionSource<bool>> _pings = new();
    private readonly Channel<BusDelivery> _deliveries = Channel.CreateUnbounded<BusDelivery>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource<BusErrorCode> _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ArrayBufferWriter<byte> _buffer = new(InitialWriteBuffer);
    private ArrayBufferWriter<byte> _spare = new(InitialWriteBuffer);
    private bool _writeScheduled;
    private bool _writerBusy;
    private bool _handoff;
    private ArrayBufferWriter<byte>? _carryBatch;
    private ReadOnlyMemory<byte> _carryRest;
    private Task<int>? _carrySend;
    private bool _closed;
    private volatile bool _traceAccepted;
    private readonly long _ackDelayTicks;
    private int _pendingAcks;
    private long _firstPendingAck;
    private bool _ackWatched;
    private int _ackBackoff;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;

    private BusClient(Socket socket, BusClientOptions options)
    {
        _socket = socket;
        Options = options;
        _reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));
        _pendingLookup = _pending.GetAlternateLookup<ReadOnlySpan<char>>();
        if (options.AckDelay > TimeSpan.Zero && options.AutoAck)
        {
            _ackDelayTicks = (long)Math.Min(long.MaxValue / 4, options.AckDelay.TotalSeconds * Stopwatch.Frequency);
        }
    }

    /// <summary>The options this client registered with.</summary>
    public BusClientOptions Options { get; }

    /// <summary>Completes when the connection closes.</summary>
    public Task Completion => _receiveLoop;

    /// <summary>Sends awaiting their answer.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>Connects to a sidecar's bus port and registers the agent; throws <see cref="BusClientException"/> when refused.</summary>
    public static async Task<BusClient> ConnectAsync(EndPoint endPoint, BusClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ArgumentNullException.ThrowIfNull(options);
        var socket = new Socket(endPoint.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetwork : endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
        };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new BusClient(socket, options);
        client._receiveLoop = client.ReceiveLoopAsync();
        client._sendLoop = client.SendLoopAsync();
        lock (client._writeLock)
        {
            BusFrameWriter.WriteRegister(
                client._buffer, options.AgentId, options.TenantId, options.ConstitutionalHash, options.TraceContext ? BusFrameFlagBits.TraceContext : BusFrameFlagBits.None);
        }

        client.ScheduleWrite();
        BusErrorCode code;
        try
        {
            code = await client._registered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (code != BusErrorCode.None)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new BusClientException(code, $"registration of '{options.AgentId}' refused: {code.ToWireName()}");
        }

        return client;
    }

    /// <summary>An envelope from this agent to <paramref name="toAgent"/> with this client's tenant and hash, created now.</summary>
    public BusMessageEnvelope CreateEnvelope(string toAgent, string? messageId = null, TimeProvider? time = null) =>
        new(messageId ?? Guid.NewGuid().ToString("N"), Options.AgentId, toAgent, Options.TenantId, Options.ConstitutionalHash)
        {
            CreatedAtUnixMs = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds(),
        };

    /// <summary>Sends a message and completes with the recipient's ack or the sidecar's error.</summary>
    public Task<BusSendResult> SendAsync(BusMessageEnvelope envelope, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var answer = new TaskCompletionSource<BusSendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(envelope.MessageId, answer))
        {
            throw new ArgumentException($"message id '{envelope.MessageId}' is already awaiting an answer", nameof(envelope));
        }

        try
        {
            Post(envelope, payload.Span);
        }
        catch
        {
            _pending.TryRemove(envelope.MessageId, out _);
            throw;
        }

        return cancellationToken.CanBeCanceled ? answer.Task.WaitAsync(cancellationToken) : answer.Task;
    }

    /// <summary>
    /// Sends a message without awaiting; its answer goes to <see cref="BusClientOptions.OnReply"/>. It carries
    /// <c>Activity.Current</c>'s trace context when there is one and the sidecar accepted trace context.
    /// </summary>
    public void Post(in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload) => Post(envelope, payload, CurrentTraceContext());

    /// <summary>
    /// Sends a message carrying <paramref name="trace"/> (when the sidecar accepted trace context; an empty one sends
    /// none); its answer goes to <see cref="BusClientOptions.OnReply"/>.
    /// </summary>
    public void Post(in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload, in BusTraceContext trace)
    {
        var carried = _traceAccepted && !trace.IsEmpty
            && BusFrameWriter.MeasureMessage(envelope, payload.Length, trace) - BusWireConstants.HeaderSize <= BusWireConstants.MaxBodyBytes
            ? trace
            : default;
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            BusFrameWriter.WriteMessage(_buffer, BusFrameType.Send, envelope, payload, carried);
        }

        ScheduleWrite();
    }

    /// <summary>Writes an already encoded send frame (benchmarks); its answer goes to <see cref="BusClientOptions.OnReply"/>.</summary>
    public void PostRaw(ReadOnlySpan<byte> frame) => PostRaw(frame, flush: true);

    /// <summary>
    /// Writes an already encoded send frame (benchmarks); with <paramref name="flush"/> false it is only
    /// buffered until <see cref="Flush"/> (or the next scheduled write).
    /// </summary>
    public void PostRaw(ReadOnlySpan<byte> frame, bool flush)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _buffer.Write(frame);
        }

        if (flush)
        {
            ScheduleWrite();
        }
    }

    /// <summary>
    /// Writes what is buffered now, on the calling thread, when no write is in progress (a write in progress
    /// takes it with it). A socket that cannot take it all at once hands the rest to the send loop.
    /// </summary>
    public void Flush()
    {
        ArrayBufferWriter<byte> batch;
        lock (_writeLock)
        {
            if (_writerBusy || _closed || _buffer.WrittenCount == 0)
            {
                return;
            }

            _writerBusy = true;
            batch = _buffer;
            _buffer = _spare;
            _spare = batch;
            _pendingAcks = 0;
        }

        var data = batch.WrittenMemory;
        try
        {
            while (!data.IsEmpty)
            {
                var pending = _socket.SendAsync(data, SocketFlags.None, _stop.Token);
                if (!pending.IsCompletedSuccessfully)
                {
                    HandOff(batch, data, pending.AsTask());
                    return;
                }

                data = data[pending.Result..];
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed: the receive loop fails what is pending.
            return;
        }

        batch.ResetWrittenCount();
        HandOff(null, ReadOnlyMemory<byte>.Empty, null);
    }

    /// <summary>Acknowledges a delivered message.</summary>
    public void Ack(ReadOnlySpan<byte> messageId)
    {
        lock (_writeLock)
        {
            if (_closed)
            {
                return;
            }

            BusFrameWriter.WriteIdFrame(_buffer, BusFrameType.Ack, messageId);
        }

        ScheduleWrite();
    }

    /// <summary>Acknowledges a delivered message.</summary>
    public void Ack(string messageId)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        Ack(Encoding.UTF8.GetBytes(messageId));
    }

    /// <summary>Round trip to the sidecar.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var pong = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _pings.Enqueue(pong);
            BusFrameWriter.WritePing(_buffer, BusFrameType.Ping, 1);
        }

        ScheduleWrite();
        await pong.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deliveries (when no <see cref="BusClientOptions.OnDelivery"/> handler is set).</summary>
    public IAsyncEnumerable<BusDelivery> ReadDeliveriesAsync(CancellationToken cancellationToken = default) =>
        _deliveries.Reader.ReadAllAsync(cancellationToken);

    /// <summary>The next delivery (when no handler is set).</summary>
    public ValueTask<BusDelivery> ReceiveAsync(CancellationToken cancellationToken = default) =>
        _deliveries.Reader.ReadAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ackDelayTicks > 0)
        {
            await FlushHeldAcksAsync().ConfigureAwait(false);
        }

        lock (_writeLock)
        {
            _closed = true;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
        try
        {
            await Task.WhenAll(_receiveLoop, _sendLoop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _writeSignal.Dispose();
    }

    /// <summary>Writes the acks held by <see cref="BusClientOptions.AckDelay"/> before closing (waits up to a second for the writer).</summary>
    private async Task FlushHeldAcksAsync()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            Flush();
            lock (_writeLock)
            {
                if (_closed || (_buffer.WrittenCount == 0 && !_writerBusy))
                {
                    return;
                }
            }

            await Task.Delay(1).ConfigureAwait(false);
        }
    }

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var sent = await _socket.SendAsync(data, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            data = data[sent..];
        }
    }

    private void ScheduleWrite()
    {
        bool signal;
        lock (_writeLock)
        {
            signal = !_writeScheduled;
            _writeScheduled = true;
        }

        if (signal)
        {
            _writeSignal.Release();
        }
    }

    /// <summary>
    /// Ends an inline write (<see cref="Flush"/>): releases the writer when nothing is left, else hands the
    /// unfinished send (<paramref name="carry"/>) and what was buffered meanwhile to the send loop.
    /// </summary>
    private void HandOff(ArrayBufferWriter<byte>? carry, ReadOnlyMemory<byte> rest, Task<int>? send)
    {
        bool signal;
        lock (_writeLock)
        {
            if (carry is null && _buffer.WrittenCount == 0)
            {
                _writerBusy = false;
                return;
            }

            _carryBatch = carry;
            _carryRest = rest;
            _carrySend = send;
            _handoff = true;
            signal = !_writeScheduled;
            _writeScheduled = true;
        }

        if (signal)
        {
            _writeSignal.Release();
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                await _writeSignal.WaitAsync(_stop.Token).ConfigureAwait(false);
                ArrayBufferWriter<byte>? carry;
                ReadOnlyMemory<byte> rest;
                Task<int>? carrySend;
                lock (_writeLock)
                {
                    _writeScheduled = false;
                    if (_writerBusy && !_handoff)
                    {
                        // An inline write is in progress; it hands over what is left when it ends.
                        continue;
                    }

                    _writerBusy = true;
                    _handoff = false;
                    carry = _carryBatch;
                    rest = _carryRest;
                    carrySend = _carrySend;
                    _carryBatch = null;
                    _carryRest = ReadOnlyMemory<byte>.Empty;
                    _carrySend = null;
                }

                if (carry is not null)
                {
                    if (carrySend is not null)
                    {
                        rest = rest[await carrySend.ConfigureAwait(false)..];
                    }

                    await SendAllAsync(rest).ConfigureAwait(false);
                    carry.ResetWrittenCount();
                }

                while (true)
                {
                    ArrayBufferWriter<byte> batch;
                    lock (_writeLock)
                    {
                        if (_buffer.WrittenCount == 0)
                        {
                            _writerBusy = false;
                            break;
                        }

                        batch = _buffer;
                        _buffer = _spare;
                        _spare = batch;
                        _pendingAcks = 0;
                    }

                    await SendAllAsync(batch.WrittenMemory).ConfigureAwait(false);
                    batch.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed.
        }
    }
}
