// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.LoadTest.Faults;
using Xunit;

namespace Acgs.LoadTest.Tests.Faults;

public sealed class ProcessStallerTests
{
    [Fact]
    public void Start_RunningProcess_StopsItAndDisposeContinuesIt()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            var seenStopped = false;
            using (var staller = new ProcessStaller([child.Id], TimeSpan.FromMilliseconds(80), TimeSpan.FromMilliseconds(100)))
            {
                staller.Start();
                var deadline = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
                while (!seenStopped && Stopwatch.GetTimestamp() < deadline)
                {
                    seenStopped = State(child.Id) == 'T';
                    Thread.Sleep(5);
                }

                Assert.True(staller.Stalls >= 1);
            }

            Assert.True(seenStopped, "the process was never seen stopped");
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
