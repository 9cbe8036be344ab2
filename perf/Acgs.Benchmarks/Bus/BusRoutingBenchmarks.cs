// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using Acgs.Core.ConstitutionalHash;
using Acgs.Sidecar.Bus;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Benchmarks.Bus;

/// <summary>
/// One message through the sidecar's routing core, as the connection loops run it: copy the frame
/// into a pooled message, parse, admit (hash, expiry), route to the recipient's priority outbox,
/// take it out for writing, track it in flight, take the recipient's ack, relay the ack to the
/// sender's outbox, write it and return the message to the pool. Must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class BusRoutingBenchmarks
{
    private readonly OutboxItem[] _batch = new OutboxItem[16];
    private BusRouter _router = null!;
    private BusSession _sender = null!;
    private BusSession _recipient = null!;
    private ReadOnlySequence<byte> _frame;
    private byte[] _messageId = [];

    [GlobalSetup]
    public void Setup()
    {
        var options = new BusOptions();
        _router = new BusRouter(options, new BusMessagePool(), new BusMetrics(), new BusLatencyStats(),
            new BusAgentDirectory(new Dictionary<string, string>()), ConstitutionalHashValidator.Default, TimeProvider.System,
            NullLogger<BusRouter>.Instance);
        _sender = new BusSession(_router, new DefaultConnectionContext());
        _recipient = new BusSession(_router, new DefaultConnectionContext());
        _router.TryRegister("agent-b", _recipient);
        var frame = BusBenchmarkFrames.Send("agent-a", "agent-b", "m-000000000001");
        _frame = new ReadOnlySequence<byte>(frame);
        BusFrameParser.ParseMessage(frame.AsSpan(BusWireConstants.HeaderSize), out var view);
        _messageId = view.MessageId.ToArray();
        for (var i = 0; i < 1000; i++)
        {
            RouteAndAck();
        }
    }

    [Benchmark]
    public int RouteAndAck()
    {
        var message = _router.Pool.Rent();
        message.Load(_frame, _router.Pool.Buffers);
        message.Sender = _sender;
        BusFrameParser.ParseMessage(message.Body, out var view);
        message.Ranges = view.Ranges;
        message.Priority = view.Priority;
        message.MessageType = view.MessageType;
        message.ExpiresAtUnixMs = view.ExpiresAtUnixMs;
        if (_router.Admit(view, null) != BusErrorCode.None)
        {
            throw new InvalidOperationException("not admitted");
        }

        _router.Route(message, fromPeer: false);

        var taken = _recipient.Outbox.TakeBatch(_batch, 16, out _);
        _router.Metrics.Dequeued(_batch[0].Message!.Priority);
        _recipient.Inflight.Add(_batch[0].Message!);
        _batch[0] = default;
        _recipient.HandleAck(_messageId, BusFrameFlagBits.None);

        taken += _sender.Outbox.TakeBatch(_batch, 16, out _);
        _router.Release(_batch[0].Message!);
        _batch[0] = default;
        return taken;
    }
}
