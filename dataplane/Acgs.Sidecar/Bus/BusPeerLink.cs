// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Acgs.Contracts.BusWire;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// An outgoing link to another sidecar's bus port. It registers with <see cref="BusFrameFlagBits.PeerLink"/>,
/// forwards messages as send frames in priority order and relays the remote acks and errors to the
/// original senders. When it fails, queued and in-flight messages go to the offline store (when
/// configured) or are answered <c>unavailable</c> (<see cref="BusRouter.PeerUnavailable"/>).
/// </summary>
internal sealed class BusPeerLink : BusEndpoint, IAsyncDisposable
{
    private const int SmallFrameLimit = 512;
    private readonly string _address;
    private Task _run = Task.CompletedTask;
    private volatile bool _dead;
    private long _diedAt;
    private Socket? _socket;

    public BusPeerLink(BusRouter router, string address)
        : base(router)
    {
        _address = address;
    }

    /// <summary>Whether the link failed or closed (a new one is made on the next forward).</summary>
    public bool IsDead => _dead;

    /// <summary>The remote bus address.</summary>
    public string Address => _address;

    /// <summary>Whether the link died less than <paramref name="delay"/> ago.</summary>
    public bool DiedWithin(TimeSpan delay)
    {
        var diedAt = Volatile.Read(ref _diedAt);
        return diedAt != 0 && Router.Time.GetElapsedTime(diedAt) < delay;
    }

    protected override BusFrameType DataFrameType => BusFrameType.Send;

    public void Start()
    {
        var register = new ArrayBufferWriter<byte>(256);
        const BusFrameFlagBits flags = BusFrameFlagBits.PeerLink | BusFrameFlagBits.TraceContext;
        BusFrameWriter.WriteRegister(register, Router.Options.NodeId, string.Empty, Router.Validator.Accepted.Primary, flags);
        SendControl(new OutboxItem(BusFrameType.Register, flags, BusErrorCode.None, null, register.WrittenSpan.ToArray(), 0));
        _run = RunAsync();
    }

    public void Close()
    {
        MarkDead();
        Outbox.Close();
        FailPending();
    }

    /// <summary>Closes the socket; the run loop fails pending messages over.</summary>
    public void Abort()
    {
        MarkDead();
        Outbox.Close();
        _socket?.Dispose();
    }

    /// <summary>
    /// Takes no more messages; closes once every queued message was written and every in-flight one
    /// answered, or after <paramref name="grace"/> (the rest then fails over).
    /// </summary>
    public void Drain(TimeSpan grace)
    {
        Outbox.StopAccepting();
        _ = DrainAsync(grace);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        MarkDead();
        Outbox.Close();
        _socket?.Dispose();
        await _run.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        Stream? stream = null;
        Task writer = Task.CompletedTask;
        try
        {
            var endPoint = IPEndPoint.Parse(_address);
            var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _socket = socket;
            await socket.ConnectAsync(endPoint).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (Router.PeerTls.Required)
            {
                // Identity on: the link is mutual TLS with the workload certificates; the remote sidecar grants the
                // peer-link role only to such a connection (BusPeerTls).
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(Router.PeerTls.ClientOptions(_address)).ConfigureAwait(false);
            }

            var input = PipeReader.Create(stream);
            writer = WriteLoopAsync(PipeWriter.Create(stream));
            while (!_dead)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                bool fatal;
                BusWriteBatch.Begin();
                try
                {
                    fatal = ProcessFrames(ref buffer);
                }
                finally
                {
                    BusWriteBatch.End();
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (fatal || result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException or OperationCanceledException or FormatException or AuthenticationException)
        {
            BusLog.PeerLinkFailed(Router.Logger, _address, ex.Message);
        }
        finally
        {
            MarkDead();
            Outbox.Close();
            await writer.ConfigureAwait(false);
            FailPending();
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override void OnControlOverflow()
    {
        if (CloseWithError(BusErrorCode.SlowReader))
        {
            BusLog.SlowReader(Router.Logger, _address, Outbox.ControlCapacity);
            Abort();
        }
    }

    private async Task DrainAsync(TimeSpan grace)
    {
        var started = Router.Time.GetTimestamp();
        while (!_dead && (Outbox.DataCount > 0 || Inflight.Count > 0) && Router.Time.GetElapsedTime(started) < grace)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), Router.Time).ConfigureAwait(false);
        }

        Abort();
    }

    private void MarkDead()
    {
        if (!_dead)
        {
            Volatile.Write(ref _diedAt, Router.Time.GetTimestamp());
            _dead = true;
        }
    }

    private bool ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        Span<byte> scratch = stackalloc byte[SmallFrameLimit];
        while (true)
        {
            var status = BusFrameReader.TryReadFrame(buffer, out var header, out var frame, out _);
            if (status == BusFrameReadStatus.Incomplete)
            {
                return false;
            }

            if (status == BusFrameReadStatus.Fatal)
            {
                return true;
            }

            buffer = buffer.Slice(frame.End);
            if (header.BodyLength > SmallFrameLimit)
            {
                continue;
            }

            var body = frame.Slice(BusWireConstants.HeaderSize);
            ReadOnlySpan<byte> span = body.IsSingleSegment ? body.FirstSpan : Copy(body, scratch);
            switch (header.Type)
            {
                case BusFrameType.Ack when BusFrameParser.ParseId(span, out var id) == BusErrorCode.None:
                    HandleAck(id, header.Flags);
                    break;
                case BusFrameType.Error when BusFrameParser.ParseError(span, out var error) == BusErrorCode.None:
                    if (error.MessageId.IsEmpty)
                    {
                        BusLog.PeerLinkRejected(Router.Logger, _address, error.Code.ToWireName());
                        if (error.Code is not BusErrorCode.MalformedFrame)
                        {
                            return true;
                        }
                    }
                    else
                    {
                        HandleNack(error.MessageId, error.Code);
                    }

                    break;
                case BusFrameType.RegisterAck:
                    // Messages written before this ack went without their trace context (the link could not know yet).
                    AcceptsTraceContext = (header.Flags & BusFrameFlagBits.TraceContext) != 0;
                    break;
                case BusFrameType.Ping when BusFrameParser.ParsePing(span, out var value) == BusErrorCode.None:
                    SendControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, value));
                    break;
                default:
                    break;
            }
        }
    }

    private static ReadOnlySpan<byte> Copy(in ReadOnlySequence<byte> body, Span<byte> scratch)
    {
        body.CopyTo(scratch);
        return scratch[..(int)body.Length];
    }
}
