// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Config;
using Acgs.Contracts.Validation;
using Acgs.Sidecar.Identity;
using Microsoft.AspNetCore.Connections;

namespace Acgs.Sidecar.Bus;

/// <summary>
/// One accepted bus connection: an agent (after register) or a peer sidecar's link. The reader loop
/// parses frames with <see cref="BusFrameReader"/> and routes synchronously; the writer loop
/// (<see cref="BusEndpoint"/>) delivers. A bad frame inside a delimited frame gets an error frame and
/// the connection continues; a bad header gets an error frame and the connection closes.
/// </summary>
internal sealed partial class BusSession : BusEndpoint
{
    private const int SmallFrameLimit = 512;
    private static readonly TimeSpan LingerAfterWrite = TimeSpan.FromSeconds(1);
    private readonly ConnectionContext _connection;
    private volatile bool _closing;

    public BusSession(BusRouter router, ConnectionContext connection)
        : base(router)
    {
        _connection = connection;
        ConnectedAt = router.Time.GetUtcNow();
        _openedAt = router.Time.GetTimestamp();
        _lastRead = _openedAt;
        PeerIdentity = connection.Features.Get<PeerIdentityFeature>()?.SpiffeId;
    }

    /// <summary>
    /// The SPIFFE ID of the sidecar at the other end, verified by its certificate in the mTLS handshake (null for a
    /// plaintext connection). Stamped on every message of a peer link as <see cref="RoutedMessage.PeerIdentity"/>.
    /// </summary>
    public string? PeerIdentity { get; }

    /// <summary>The registered agent id (null before register).</summary>
    public string? AgentId { get; private set; }

    /// <summary>The registered agent id as UTF-8.</summary>
    public byte[] AgentUtf8 { get; private set; } = [];

    /// <summary>The registered tenant.</summary>
    public string TenantId { get; private set; } = string.Empty;

    /// <summary>The registered tenant as UTF-8.</summary>
    public byte[] TenantUtf8 { get; private set; } = [];

    /// <summary>Whether this connection is another sidecar's link (trusted sender fields, no re-forwarding).</summary>
    public bool IsPeer { get; private set; }

    /// <summary>When the connection was accepted.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>Stored messages are being replayed: new messages for this agent go to the store to keep order.</summary>
    public bool Replaying { get; set; }

    /// <summary>Stream id of the last stored message queued by the replay.</summary>
    public string? LastReplayedId { get; set; }

    /// <summary>1 while a replay pass runs (serialises passes).</summary>
    public int ReplayRunning;

    /// <summary>A store write finished during a replay pass: run another pass.</summary>
    public volatile bool ReplayAgain;

    /// <summary>Whether the connection is still open.</summary>
    public bool IsOpen => !Outbox.IsClosed;

    private enum FrameLoop
    {
        NeedMore,
        Paused,
        Fatal,
    }

    protected override BusFrameType DataFrameType => BusFrameType.Deliver;

    /// <summary>Closes the connection (sidecar shutdown).</summary>
    public void Abort() => _connection.Abort(new ConnectionAbortedException("the bus is stopping"));

    /// <summary>Runs the connection until the client disconnects or a fatal frame arrives.</summary>
    public async Task RunAsync()
    {
        Router.Opened(this);
        var input = _connection.Transport.Input;
        var writer = WriteLoopAsync(_connection.Transport.Output);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(_connection.ConnectionClosed).ConfigureAwait(false);
                var buffer = result.Buffer;
                var before = buffer.Length;
                FrameLoop status;
                BusWriteBatch.Begin();
                try
                {
                    status = _closing ? FrameLoop.Fatal : ProcessFrames(ref buffer);
                    NoteRead(before, buffer.Length, status == FrameLoop.NeedMore);
                }
                finally
                {
                    // The writers this read batch woke write what it queued for them, one flush each.
                    BusWriteBatch.End();
                }

                if (status == FrameLoop.Paused)
                {
                    // Complete frames are left: examined only up to them, so the next read returns at once.
                    input.AdvanceTo(buffer.Start);
                }
                else
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                // Paused with complete frames left: they are processed even when the client closed its side.
                if (status == FrameLoop.Fatal || _closing || (status != FrameLoop.Paused && (result.IsCompleted || result.IsCanceled)))
                {
                    break;
                }

                if (Outbox.ControlPressure)
                {
                    // Backpressure: the client does not read its replies fast enough; stop reading it.
                    await Outbox.WaitControlDrainedAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or InvalidOperationException)
        {
            // Client gone.
        }
        finally
        {
            Router.Unregister(this);
            Outbox.Close();
            if (_closing)
            {
                await LingerAsync(input, writer).ConfigureAwait(false);
            }

            await writer.ConfigureAwait(false);
            FailPending();
            Router.Closed(this);
        }
    }

    /// <inheritdoc />
    protected override void OnControlOverflow()
    {
        if (CloseWithError(BusErrorCode.SlowReader))
        {
            _closing = true;
            BusLog.SlowReader(Router.Logger, AgentId ?? _connection.ConnectionId, Outbox.ControlCapacity);
            _connection.Transport.Input.CancelPendingRead();
        }
    }

    /// <summary>
    /// After a slow-reader close: discard what the client still sends, so that closing with unread input
    /// does not reset the connection and lose the final error frame, until the writer wrote everything and
    /// the client has been quiet for a second (or closed), within the grace period; a writer still blocked
    /// at the end of it (the client never reads) is released by aborting the connection.
    /// </summary>
    private async Task LingerAsync(PipeReader input, Task writer)
    {
        var grace = Router.Options.SlowReaderGrace;
        var started = Router.Time.GetTimestamp();
        using var quiet = new CancellationTokenSource(grace, Router.Time);
        _ = writer.ContinueWith(_ => Rearm(quiet, grace, started), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(quiet.Token).ConfigureAwait(false);
                input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }

                if (writer.IsCompleted)
                {
                    Rearm(quiet, grace, started);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or InvalidOperationException)
        {
            // Quiet, grace period over, or client gone.
        }


        if (!writer.IsCompleted)
        {
            _connection.Abort(new ConnectionAbortedException("slow reader: the connection did not read its replies"));
        }
    }

    private void Rearm(CancellationTokenSource quiet, TimeSpan grace, long started)
    {
        var left = grace - Router.Time.GetElapsedTime(started);
        try
        {
            quiet.CancelAfter(left < LingerAfterWrite ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : LingerAfterWrite);
        }
        catch (ObjectDisposedException)
        {
            // Linger already over.
        }
    }

    private FrameLoop ProcessFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            var status = BusFrameReader.TryReadFrame(buffer, out var header, out var frame, out var error);
            if (status == BusFrameReadStatus.Incomplete)
            {
                return FrameLoop.NeedMore;
            }

            if (status == BusFrameReadStatus.Fatal)
            {
                Router.Metrics.Rejected(BusMetrics.UnparsedType, error);
                SendControl(new OutboxItem(BusFrameType.Error, BusFrameFlagBits.None, error, null, null, 0));
                return FrameLoop.Fatal;
            }

            HandleFrame(header, frame);
            buffer = buffer.Slice(frame.End);
            if (_closing)
            {
                return FrameLoop.Fatal;
            }

            if (Outbox.ControlPressure)
            {
                return FrameLoop.Paused;
            }
        }
    }

    private void HandleFrame(BusFrameHeader header, in ReadOnlySequence<byte> frame)
    {
        if (header.Type == BusFrameType.Send)
        {
            HandleSend(frame, header.Flags);
            return;
        }

        if (header.BodyLength > SmallFrameLimit || header.Type is not (BusFrameType.Register or BusFrameType.Ack or BusFrameType.Error or BusFrameType.Ping or BusFrameType.Pong))
        {
            RejectFrame(BusErrorCode.MalformedFrame);
            return;
        }

        Span<byte> scratch = stackalloc byte[SmallFrameLimit];
        var body = frame.Slice(BusWireConstants.HeaderSize);
        scoped ReadOnlySpan<byte> span;
        if (body.IsSingleSegment)
        {
            span = body.FirstSpan;
        }
        else
        {
            body.CopyTo(scratch);
            span = scratch[..header.BodyLength];
        }

        switch (header.Type)
        {
            case BusFrameType.Register:
                HandleRegister(span, header.Flags);
                break;
            case BusFrameType.Ack:
                if (BusFrameParser.ParseId(span, out var id) is var ackCode && ackCode != BusErrorCode.None)
                {
                    RejectFrame(ackCode);
                }
                else
                {
                    HandleAck(id, header.Flags);
                }

                break;
            case BusFrameType.Error:
                if (BusFrameParser.ParseError(span, out var error) == BusErrorCode.None && !error.MessageId.IsEmpty)
                {
                    HandleNack(error.MessageId, error.Code);
                }

                break;
            case BusFrameType.Ping:
                if (BusFrameParser.ParsePing(span, out var value) is var pingCode && pingCode != BusErrorCode.None)
                {
                    RejectFrame(pingCode);
                }
                else
                {
                    SendControl(new OutboxItem(BusFrameType.Pong, BusFrameFlagBits.None, BusErrorCode.None, null, null, value));
                }

                break;
            default:
                break;
        }
    }

    private void HandleSend(in ReadOnlySequence<byte> frame, BusFrameFlagBits flags)
    {
        var message = Router.Pool.Rent();
        message.Load(frame, Router.Pool.Buffers);
        message.ReceivedTimestamp = Stopwatch.GetTimestamp();
        message.Sender = this;
        message.PeerIdentity = PeerIdentity;
        var code = BusFrameParser.ParseMessage(message.Body, flags, out var view);
        if (code != BusErrorCode.None)
        {
            Router.Reject(message, code);
            return;
        }

        message.Ranges = view.Ranges;
        message.Priority = view.Priority;
        message.MessageType = view.MessageType;
        message.ExpiresAtUnixMs = view.ExpiresAtUnixMs;
        code = AgentId is null ? BusErrorCode.NotRegistered : Router.Admit(view, IsPeer ? null : this);
        if (code != BusErrorCode.None)
        {
            Router.Reject(message, code);
            return;
        }

        if (view.HasTraceContext && Tracing.MeshTracing.Source.HasListeners())
        {
            // Only a message with trace context: the span (tracing on and sampled as a request would be) and its id in the traceparent.
            Tracing.BusTracing.Start(message, local: Router.FindLocal(view.ToAgent) is not null, Router.TraceDecision);
        }

        Router.Route(message, fromPeer: IsPeer);
    }

    private void HandleRegister(ReadOnlySpan<byte> body, BusFrameFlagBits flags)
    {
        var code = BusFrameParser.ParseRegister(body, out var view);
        if (code == BusErrorCode.None && AgentId is not null)
        {
            code = BusErrorCode.DuplicateRegistration;
        }

        if (code == BusErrorCode.None)
        {
            code = BusRouter.HashCode(Router.Validator.Validate(view.ConstitutionalHash));
        }

        if (code != BusErrorCode.None)
        {
            RejectFrame(code);
            return;
        }

        var peerLink = (flags & BusFrameFlagBits.PeerLink) != 0;
        if (peerLink && Router.PeerTls.Required && PeerIdentity is null)
        {
            // The peer-link role only for a connection authenticated as a mesh sidecar by its certificate, never by the flag.
            RefusePeerLink();
            return;
        }

        var agentId = Encoding.UTF8.GetString(view.AgentId);
        if (!peerLink && !NodeId.IsPrintable(agentId, ConfigSnapshotValidator.MaxAgentIdLength))
        {
            // The control plane's rule for agent reports: one bad id must not make it refuse the whole report.
            RejectFrame(BusErrorCode.InvalidAgentId);
            return;
        }

        var tenant = Encoding.UTF8.GetString(view.TenantId);
        var agentBytes = view.AgentId.ToArray();
        AcceptsTraceContext = (flags & BusFrameFlagBits.TraceContext) != 0;
        AgentUtf8 = agentBytes;
        if (peerLink)
        {
            IsPeer = true;
            AgentId = agentId;
        }
        else
        {
            TenantId = tenant;
            TenantUtf8 = view.TenantId.ToArray();
            Replaying = Router.Store is not null;
            if (!Router.TryRegister(agentId, this))
            {
                Replaying = false;
                RejectFrame(BusErrorCode.DuplicateRegistration);
                return;
            }

            AgentId = agentId;
        }

        // TraceContext echoed: this sidecar accepts trace context from a connection that can receive it.
        SendControl(new OutboxItem(BusFrameType.RegisterAck, flags & (BusFrameFlagBits.PeerLink | BusFrameFlagBits.TraceContext), BusErrorCode.None, null, agentBytes, 0));
        if (!IsPeer && Router.Store is { } store)
        {
            store.StartReplay(this);
        }
    }

    private void RejectFrame(BusErrorCode code)
    {
        Router.Metrics.Rejected(BusMetrics.UnparsedType, code);
        SendControl(new OutboxItem(BusFrameType.Error, BusFrameFlagBits.None, code, null, null, 0));
    }
}
