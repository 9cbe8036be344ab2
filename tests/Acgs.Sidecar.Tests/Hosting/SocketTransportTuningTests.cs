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
        Assert.Equal(SocketTransportTuning.DefaultBacklog, options.Backlog);
    }

    [Fact]
    public void Configure_BothSet_AppliesThem()
    {
        var options = new SocketTransportOptions();
        var env = new Dictionary<string, string>
        {
            [SocketTransportTuning.InlineSchedulingVariable] = "0",
            [SocketTransportTuning.IOQueueCountVariable] = "0",
            [SocketTransportTuning.BacklogVariable] = "1024",
        };

        SocketTransportTuning.Configure(options, name => env.GetValueOrDefault(name));

        Assert.False(options.UnsafePreferInlineScheduling);
        Assert.Equal(0, options.IOQueueCount);
        Assert.Equal(1024, options.Backlog);
    }

    [Theory]
    [InlineData("yes", "-1", "0")]
    [InlineData("", "many", "70000")]
    public void Configure_UnparsableValues_AreIgnored(string inline, string queues, string backlog)
    {
        var options = new SocketTransportOptions();
        var defaultQueues = options.IOQueueCount;
        var env = new Dictionary<string, string>
        {
            [SocketTransportTuning.InlineSchedulingVariable] = inline,
            [SocketTransportTuning.IOQueueCountVariable] = queues,
            [SocketTransportTuning.BacklogVariable] = backlog,
        };

        SocketTransportTuning.Configure(options, name => env.GetValueOrDefault(name));

        Assert.True(options.UnsafePreferInlineScheduling);
        Assert.Equal(defaultQueues, options.IOQueueCount);
        Assert.Equal(SocketTransportTuning.DefaultBacklog, options.Backlog);
    }
}
