// Constitutional Hash: cdd01ef066bc6cf2

using System.Text;
using Acgs.LoadTest.Http;
using Xunit;

namespace Acgs.LoadTest.Tests.Http;

public sealed class ResponseHeadTests
{
    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nServer: x", 200, 12, false, false)]
    [InlineData("HTTP/1.1 503 Service Unavailable\r\ncontent-length:0\r\nConnection: close", 503, 0, false, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked", 200, -1, true, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1", 200, 1, false, true)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1", 200, 1, false, false)]
    public void TryParse_ValidHead_ReadsStatusLengthChunkedClose(string head, int status, long length, bool chunked, bool close)
    {
        Assert.True(ResponseHead.TryParse(Encoding.ASCII.GetBytes(head), out var parsed));

        Assert.Equal(new ResponseHead(status, length, chunked, close), parsed);
    }

    [Theory]
    [InlineData("HTTP/1.1 2x0 OK")]
    [InlineData("SMTP 220 hello")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -4")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12abc")]
    public void TryParse_MalformedHead_ReturnsFalse(string head)
    {
        Assert.False(ResponseHead.TryParse(Encoding.ASCII.GetBytes(head), out _));
    }
}
