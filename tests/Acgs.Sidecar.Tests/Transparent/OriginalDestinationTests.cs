// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Sockets;
using Acgs.Core.Settings;
using Acgs.Sidecar.Hosting;
using Acgs.Sidecar.Transparent;

namespace Acgs.Sidecar.Tests.Transparent;

public sealed class OriginalDestinationTests
{
    [Fact]
    public void TryParse_SockaddrIn_ReadsNetworkOrderPortAndAddress()
    {
        // struct sockaddr_in { sa_family_t AF_INET = 2 (host order); in_port_t 8080 (network order); in_addr 10.1.2.3; zero[8] }
        byte[] bytes = [2, 0, 0x1F, 0x90, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.True(OriginalDestination.TryParse(bytes, out var endPoint));

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 8080), endPoint);
    }

    [Fact]
    public void TryParse_SockaddrIn6_ReadsPortAddressAndScope()
    {
        // struct sockaddr_in6 { AF_INET6 = 10; port 443; flowinfo; in6_addr fd00::1:2; scope_id 7 }
        var bytes = new byte[28];
        bytes[0] = 10;
        bytes[2] = 0x01;
        bytes[3] = 0xBB;
        bytes[4] = 0xAA; // flow info is ignored
        IPAddress.Parse("fd00::1:2").GetAddressBytes().CopyTo(bytes, 8);
        bytes[24] = 7;

        Assert.True(OriginalDestination.TryParse(bytes, out var endPoint));

        Assert.Equal(443, endPoint!.Port);
        Assert.Equal(IPAddress.Parse("fd00::1:2"), new IPAddress(endPoint.Address.GetAddressBytes()));
        Assert.Equal(7, endPoint.Address.ScopeId);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 2, 0, 0, 80, 10, 0, 0 })] // sockaddr_in cut short
    [InlineData(new byte[] { 10, 0, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // AF_INET6 with only 16 bytes
    [InlineData(new byte[] { 1, 0, 0, 80, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 })] // AF_UNIX
    public void TryParse_TruncatedOrOtherFamily_False(byte[] bytes)
    {
        Assert.False(OriginalDestination.TryParse(bytes, out var endPoint));
        Assert.Null(endPoint);
    }

    [Theory]
    [InlineData("127.0.0.1", 15001, "127.0.0.1", 15001, false)]
    [InlineData("::ffff:127.0.0.1", 15001, "127.0.0.1", 15001, false)]
    [InlineData("10.0.0.5", 8080, "127.0.0.1", 15001, true)]
    [InlineData("127.0.0.1", 8080, "127.0.0.1", 15001, true)]
    [InlineData("10.0.0.5", 15001, "10.0.0.6", 15001, true)]
    public void IsRedirected_ComparesAddressAndPort(string original, int originalPort, string local, int localPort, bool expected)
    {
        var result = OriginalDestination.IsRedirected(new IPEndPoint(IPAddress.Parse(original), originalPort), new IPEndPoint(IPAddress.Parse(local), localPort));

        Assert.Equal(expected, result);
    }

    [Fact]
    public async Task TryRead_DirectLoopbackConnection_IsNotRedirected()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var accepted = await listener.AcceptAsync();

        // Without a nat rule the kernel answers the connection's own destination (conntrack on) or an error (off).
        if (OriginalDestination.TryRead(accepted, out var original, out _))
        {
            Assert.Equal(accepted.LocalEndPoint, original);
            Assert.False(OriginalDestination.IsRedirected(original!, (IPEndPoint)accepted.LocalEndPoint!));
        }
        else
        {
            Assert.Null(original);
        }
    }

    [Fact]
    public void Feature_Ipv6AndMappedAddresses_BuildsAuthorityAndPrefix()
    {
        var v6 = new OriginalDestinationFeature(new IPEndPoint(IPAddress.Parse("fd00::5"), 8080), ListenerKind.Outbound, null);
        var mapped = new OriginalDestinationFeature(new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.5"), 80), ListenerKind.Inbound, null);

        Assert.Equal("[fd00::5]:8080", v6.Authority);
        Assert.Equal("http://[fd00::5]:8080/", v6.DestinationPrefix);
        Assert.Equal("10.0.0.5:80", mapped.Authority);
        Assert.Equal("http://10.0.0.5:80/", mapped.DestinationPrefix);
    }

    [Theory]
    [InlineData(null, null, true, true)]
    [InlineData("0", "0", false, false)]
    [InlineData("false", "TRUE", false, true)]
    [InlineData("off", "yes", false, true)]
    public void TransparentOptions_Read_ReadsFlags(string? originalDst, string? passthrough, bool expectRead, bool expectPassthrough)
    {
        var settings = new SettingsReader(name => name switch
        {
            TransparentOptions.OriginalDstVariable => originalDst,
            TransparentOptions.PassthroughVariable => passthrough,
            _ => null,
        });

        var options = TransparentOptions.Read(settings);

        Assert.Equal(expectRead, options.ReadOriginalDestination);
        Assert.Equal(expectPassthrough, options.OutboundPassthrough);
        Assert.Empty(settings.Problems);
    }

    [Fact]
    public void TransparentOptions_Read_InvalidValuesAreProblemsNotIgnored()
    {
        var settings = new SettingsReader(name => name switch
        {
            TransparentOptions.OriginalDstVariable => "maybe",
            TransparentOptions.TcpPassthroughVariable => "2",
            _ => null,
        });

        var options = TransparentOptions.Read(settings);

        Assert.True(options.ReadOriginalDestination);
        Assert.False(options.OutboundTcpPassthrough);
        Assert.Equal(
        [
            "ACGS_ORIGINAL_DST: must be 1, 0, true, false, yes, no, on or off (got 'maybe')",
            "ACGS_OUTBOUND_TCP_PASSTHROUGH: must be 1, 0, true, false, yes, no, on or off (got '2')",
        ], settings.Problems);
    }
}
