// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Collections.Concurrent;
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
/// <see cref="Post"/> is the fire-and-correlate variant reporting to <see cref="BusClientOptions.OnReply"/>.
/// </summary>
public sealed partial class BusClient : IAsyncDisposable
{
    private const int InitialWriteBuffer = 64 * 1024;
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
    private bool _closed;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _sendLoop = Task.CompletedTask;

    private BusClient(Socket socket, BusClientOptions options)
    {
        _socket = socket;
        Options = options;
        _reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false));
        _pendingLookup = _pending.GetAlternateLookup<ReadOnlySpan<char>>();
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
            BusFrameWriter.WriteRegister(client._buffer, options.AgentId, options.TenantId, options.ConstitutionalHash);
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

    /// <summary>Sends a message without awaiting; its answer goes to <see cref="BusClientOptions.OnReply"/>.</summary>
    public void Post(in BusMessageEnvelope envelope, ReadOnlySpan<byte> payload)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            BusFrameWriter.WriteMessage(_buffer, BusFrameType.Send, envelope, payload);
        }

        ScheduleWrite();
    }

    /// <summary>Writes an already encoded send frame (benchmarks); its answer goes to <see cref="BusClientOptions.OnReply"/>.</summary>
    public void PostRaw(ReadOnlySpan<byte> frame)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            _buffer.Write(frame);
        }

        ScheduleWrite();
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

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                await _writeSignal.WaitAsync(_stop.Token).ConfigureAwait(false);
                ArrayBufferWriter<byte> batch;
                lock (_writeLock)
                {
                    batch = _buffer;
                    _buffer = _spare;
                    _spare = batch;
                    _writeScheduled = false;
                }

                var data = batch.WrittenMemory;
                while (!data.IsEmpty)
                {
                    var sent = await _socket.SendAsync(data, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    data = data[sent..];
                }

                batch.ResetWrittenCount();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Closed.
        }
    }
}
