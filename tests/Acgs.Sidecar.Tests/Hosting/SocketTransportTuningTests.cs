// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Acgs.Sidecar.Tests.Hosting;

public sealed class SocketTransportTuningTests
{
    [Fact]
    public void Configure_NothingSet_InlineSchedulingAndKestrelQueues()
    {
        var options = new SocketTransportOptions();
        var queues = options.IOQueueCount;

        SocketTransportTuning.Configure(options, static _ => null);

        Assert.True(options.UnsafePreferInlineScheduling);
        Assert.Equal(queues, options.IOQueueCount);
    }

    [Fact]
    public void Configure_BothSet_AppliesThem()
    {
        var options = new SocketTransportOptions();
        var env = new Dictionary<string, string>
        {
            [SocketTransportTuning.InlineSchedulingVariable] = "0",
            [SocketTransportTuning.IOQueueCountVariable] = "0",
        };

        SocketTransportTuning.Configure(options, name => env.GetValueOrDefault(name));

        Assert.False(options.UnsafePreferInlineScheduling);
        Assert.Equal(0, options.IOQueueCount);
    }

    [Theory]
    [InlineData("yes", "-1")]
    [InlineData("", "many")]
    public void Configure_UnparsableValues_AreIgnored(string inline, string queues)
    {
        var options = new SocketTransportOptions();
        var defaultQueues = options.IOQueueCount;
        var env = new Dictionary<string, string>
        {
            [SocketTransportTuning.InlineSchedulingVariable] = inline,
            [SocketTransportTuning.IOQueueCountVariable] = queues,
        };

        SocketTransportTuning.Configure(options, name => env.GetValueOrDefault(name));

        Assert.True(options.UnsafePreferInlineScheduling);
        Assert.Equal(defaultQueues, options.IOQueueCount);
    }
}
