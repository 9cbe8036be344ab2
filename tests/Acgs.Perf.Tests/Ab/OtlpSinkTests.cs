// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Perf.Ab;
using Acgs.Perf.Lab;

namespace Acgs.Perf.Tests.Ab;

public sealed class OtlpSinkTests
{
    [Fact]
    public async Task Post_V1TracesOnTwoPorts_200AndCountedPerPort()
    {
        int a = FreePort.Next(), b = FreePort.Next();
        using var sink = await OtlpSink.StartAsync([a, b], CancellationToken.None);
        using var http = new HttpClient();

        using var first = await http.PostAsync(new Uri(OtlpSink.BaseAddress(a), "v1/traces"), Protobuf(100));
        using var second = await http.PostAsync(new Uri(OtlpSink.BaseAddress(a), "v1/traces"), Protobuf(50));
        using var third = await http.PostAsync(new Uri(OtlpSink.BaseAddress(b), "v1/traces"), Protobuf(7));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/x-protobuf", first.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await first.Content.ReadAsByteArrayAsync());
        Assert.Equal((2L, 150L), sink.Received(a));
        Assert.Equal((1L, 7L), sink.Received(b));
    }

    [Fact]
    public async Task Request_OtherPathOrMethod_404AndNotCounted()
    {
        var port = FreePort.Next();
        using var sink = await OtlpSink.StartAsync([port], CancellationToken.None);
        using var http = new HttpClient();

        using var get = await http.GetAsync(new Uri(OtlpSink.BaseAddress(port), "v1/traces"));
        using var metrics = await http.PostAsync(new Uri(OtlpSink.BaseAddress(port), "v1/metrics"), Protobuf(3));

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal((0L, 0L), sink.Received(port));
    }

    private static ByteArrayContent Protobuf(int length)
    {
        var content = new ByteArrayContent(new byte[length]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }
}
