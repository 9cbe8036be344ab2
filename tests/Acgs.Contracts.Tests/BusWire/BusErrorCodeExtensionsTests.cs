// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.BusWire;
using Xunit;

namespace Acgs.Contracts.Tests.BusWire;

public sealed class BusErrorCodeExtensionsTests
{
    [Fact]
    public void ToWireName_EveryDefinedCode_HasItsOwnName()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in Enum.GetValues<BusErrorCode>())
        {
            var name = code.ToWireName();
            Assert.NotEqual("unknown", name);
            Assert.True(seen.Add(name), $"duplicate wire name {name}");
        }
    }

    [Theory]
    [InlineData(BusErrorCode.Unavailable, 15, "unavailable")]
    [InlineData(BusErrorCode.SlowReader, 16, "slow_reader")]
    [InlineData(BusErrorCode.Forbidden, 21, "forbidden")]
    [InlineData(BusErrorCode.Busy, 10, "busy")]
    [InlineData(BusErrorCode.PeerUnauthenticated, 17, "peer_unauthenticated")]
    [InlineData(BusErrorCode.ConnectionLimit, 18, "connection_limit")]
    [InlineData(BusErrorCode.Timeout, 19, "timeout")]
    [InlineData(BusErrorCode.InvalidAgentId, 20, "invalid_agent_id")]
    public void ToWireName_DocumentedCode_KeepsNumberAndName(BusErrorCode code, int number, string name)
    {
        Assert.Equal(number, (int)code);
        Assert.Equal(name, code.ToWireName());
    }

    [Theory]
    [InlineData(BusErrorCode.SlowReader, true)]
    [InlineData(BusErrorCode.FrameTooLarge, true)]
    [InlineData(BusErrorCode.UnsupportedVersion, true)]
    [InlineData(BusErrorCode.PeerUnauthenticated, true)]
    [InlineData(BusErrorCode.ConnectionLimit, true)]
    [InlineData(BusErrorCode.Timeout, true)]
    [InlineData(BusErrorCode.InvalidAgentId, false)]
    [InlineData(BusErrorCode.Unavailable, false)]
    [InlineData(BusErrorCode.Busy, false)]
    [InlineData(BusErrorCode.HashMismatch, false)]
    public void IsFatal_Code_ClosesOnlyUnrecoverableStreams(BusErrorCode code, bool fatal) =>
        Assert.Equal(fatal, code.IsFatal());
}
