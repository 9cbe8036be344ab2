// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.LoadTest.Faults;
using Acgs.Testing;
using Xunit;

namespace Acgs.LoadTest.Tests.Faults;

public sealed class ProcessStallerTests
{
    [Fact]
    public async Task Start_RunningProcess_StopsItAndDisposeContinuesIt()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            using (var staller = new ProcessStaller([child.Id], TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(100)))
            {
                staller.Start();
                await Eventually.TrueAsync(() => State(child.Id) == 'T', "the process is seen stopped", TimeSpan.FromSeconds(5));
                Assert.True(staller.Stalls >= 1);
            }

            Assert.NotEqual('T', State(child.Id));
        }
        finally
        {
            child.Kill();
        }
    }

    [Fact]
    public void Constructor_PeriodNotLongerThanStop_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessStaller([1], TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)));
    }

    private static char State(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2];
    }
}
