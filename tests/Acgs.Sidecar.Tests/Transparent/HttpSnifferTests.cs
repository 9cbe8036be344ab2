// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Text;
using Acgs.Sidecar.Transparent;

namespace Acgs.Sidecar.Tests.Transparent;

public sealed class HttpSnifferTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("POST /v1/messages HTTP/1.1\r\n")]
    [InlineData("OPTIONS * HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")]
    [InlineData("M ")]
    public void Classify_RequestLineOrH2Preface_Http(string head)
    {
        Assert.Equal(HttpSniffer.Verdict.Http, HttpSniffer.Classify(Encoding.ASCII.GetBytes(head)));
    }

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 })] // TLS ClientHello
    [InlineData(new byte[] { (byte)'*', (byte)'1', 13, 10 })] // Redis RESP
    [InlineData(new byte[] { 0, 0, 0, 8, 4, 210, 22, 47 })] // PostgreSQL SSLRequest
    [InlineData(new byte[] { (byte)'g', (byte)'e', (byte)'t', (byte)' ' })] // methods are upper case
    [InlineData(new byte[] { (byte)' ', (byte)'/' })]
    public void Classify_OtherProtocols_NotHttp(byte[] head)
    {
        Assert.Equal(HttpSniffer.Verdict.NotHttp, HttpSniffer.Classify(head));
    }

    [Fact]
    public void Classify_PartialMethod_NeedsMoreUntilTheLimit()
    {
        Assert.Equal(HttpSniffer.Verdict.NeedMore, HttpSniffer.Classify(ReadOnlySpan<byte>.Empty));
        Assert.Equal(HttpSniffer.Verdict.NeedMore, HttpSniffer.Classify("GE"u8));
        Assert.Equal(HttpSniffer.Verdict.NeedMore, HttpSniffer.Classify(Encoding.ASCII.GetBytes(new string('A', HttpSniffer.MaxMethodLength))));
        Assert.Equal(HttpSniffer.Verdict.NotHttp, HttpSniffer.Classify(Encoding.ASCII.GetBytes(new string('A', HttpSniffer.MaxMethodLength + 1))));
    }

    [Fact]
    public void Classify_MultiSegmentSequence_SameAsContiguous()
    {
        var first = new Segment("GE"u8.ToArray());
        var last = first.Append(" /x"u8.ToArray());
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Assert.Equal(HttpSniffer.Verdict.Http, HttpSniffer.Classify(sequence));
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
