// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
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

        SocketTransportTuning.Configure(options, SocketTransportTuning.Read(new SettingsReader(static _ => null)));

        Assert.True(options.UnsafePreferInlineScheduling);
        Assert.Equal(queues, options.IOQueueCount);
        Assert.Equal(SocketTransportTuning.DefaultBacklog, options.Backlog);
        Assert.True(options.WaitForDataBeforeAllocatingBuffer);
    }

    [Fact]
    public void Configure_WaitForDataOff_ReadsWithoutZeroByteReceive()
    {
        var options = new SocketTransportOptions();
        var settings = new SettingsReader(name => name == SocketTransportTuning.WaitForDataVariable ? "false" : null);

        SocketTransportTuning.Configure(options, SocketTransportTuning.Read(settings));

        Assert.Empty(settings.Problems);
        Assert.False(options.WaitForDataBeforeAllocatingBuffer);
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

        var settings = new SettingsReader(name => env.GetValueOrDefault(name));
        SocketTransportTuning.Configure(options, SocketTransportTuning.Read(settings));

        Assert.Empty(settings.Problems);
        Assert.False(options.UnsafePreferInlineScheduling);
        Assert.Equal(0, options.IOQueueCount);
        Assert.Equal(1024, options.Backlog);
    }

    [Theory]
    [InlineData("maybe", "-1", "0")]
    [InlineData("2", "many", "70000")]
    public void Read_InvalidValues_AreProblemsAndDefaultsStay(string inline, string queues, string backlog)
    {
        var options = new SocketTransportOptions();
        var defaultQueues = options.IOQueueCount;
        var env = new Dictionary<string, string>
        {
            [SocketTransportTuning.InlineSchedulingVariable] = inline,
            [SocketTransportTuning.IOQueueCountVariable] = queues,
            [SocketTransportTuning.BacklogVariable] = backlog,
        };
        var settings = new SettingsReader(name => env.GetValueOrDefault(name));

        SocketTransportTuning.Configure(options, SocketTransportTuning.Read(settings));

        Assert.Equal(
        [
            $"ACGS_KESTREL_INLINE_SCHEDULING: must be 1, 0, true, false, yes, no, on or off (got '{inline}')",
            $"ACGS_KESTREL_IO_QUEUES: must be a whole number from 0 to 1024 (got '{queues}')",
            $"ACGS_KESTREL_BACKLOG: must be a whole number from 1 to 65535 (got '{backlog}')",
        ], settings.Problems);
        Assert.True(options.UnsafePreferInlineScheduling);
        Assert.Equal(defaultQueues, options.IOQueueCount);
        Assert.Equal(SocketTransportTuning.DefaultBacklog, options.Backlog);
    }
}
