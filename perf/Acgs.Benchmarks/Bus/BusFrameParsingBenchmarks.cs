// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.Bus;

/// <summary>Finding and decoding one bus frame (128-byte payload): must allocate nothing.</summary>
[MemoryDiagnoser]
public class BusFrameParsingBenchmarks
{
    private ReadOnlySequence<byte> _single;
    private ReadOnlySequence<byte> _split;
    private ReadOnlySequence<byte> _traced;
    private readonly byte[] _scratch = new byte[1024];

    [GlobalSetup]
    public void Setup()
    {
        var frame = BusBenchmarkFrames.Send("agent-a", "agent-b", "m-000000000001");
        _single = new ReadOnlySequence<byte>(frame);
        _split = BusBenchmarkFrames.Split(frame, 5, 60);
        _traced = new ReadOnlySequence<byte>(BusBenchmarkFrames.Send("agent-a", "agent-b", "m-000000000001",
            new BusTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=opaque")));
    }

    [Benchmark(Baseline = true)]
    public int ReadAndParse_SingleSegment()
    {
        BusFrameReader.TryReadFrame(_single, out var header, out var frame, out _);
        BusFrameParser.ParseMessage(frame.FirstSpan[BusWireConstants.HeaderSize..], out var view);
        return header.BodyLength + view.Payload.Length;
    }

    [Benchmark]
    public int ReadAndParse_SplitAcrossSegments()
    {
        BusFrameReader.TryReadFrame(_split, out var header, out var frame, out _);
        frame.CopyTo(_scratch);
        BusFrameParser.ParseMessage(_scratch.AsSpan(BusWireConstants.HeaderSize, header.BodyLength), out var view);
        return header.BodyLength + view.Payload.Length;
    }

    [Benchmark]
    public int ReadAndParse_WithTraceContext()
    {
        BusFrameReader.TryReadFrame(_traced, out var header, out var frame, out _);
        BusFrameParser.ParseMessage(frame.FirstSpan[BusWireConstants.HeaderSize..], header.Flags, out var view);
        return header.BodyLength + view.Payload.Length + view.TraceParent.Length;
    }

    [Benchmark]
    public int ValidateHash()
    {
        BusFrameParser.ParseMessage(_single.FirstSpan[BusWireConstants.HeaderSize..], out var view);
        return (int)Acgs.Core.ConstitutionalHash.ConstitutionalHashValidator.Default.Validate(view.ConstitutionalHash) + AcgsConstants.HashLength;
    }
}
