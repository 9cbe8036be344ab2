// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Acgs.Testing;
using Xunit;

namespace Acgs.Core.Tests.Redis;

/// <summary>
/// The free loopback ports of the fixtures (<see cref="FreePort"/>, <see cref="PortReservations"/>; they live in Acgs.Testing,
/// which has no test project of its own, beside the redis-server fixture they serve).
/// </summary>
public sealed class FreePortTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("acgs-ports-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Get_Called_ReturnsBindablePort()
    {
        var port = FreePort.Get();

        Assert.InRange(port, 1, 65_535);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public void Get_Called_OutsideTheEphemeralRange()
    {
        var text = File.Exists("/proc/sys/net/ipv4/ip_local_port_range") ? File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range") : null;
        var (low, high) = text is null ? (32768, 60999) : Ephemeral(text);

        for (var i = 0; i < 20; i++)
        {
            var port = FreePort.Get();

            Assert.True(port < low || port > high, $"port {port} is in the ephemeral range {low}..{high}");
        }
    }

    [Fact]
    public void Get_TwoCalls_DifferentPorts()
    {
        Assert.NotEqual(FreePort.Get(), FreePort.Get());
    }

    [Fact]
    public void Get_Called_PortStaysLockedAgainstOtherProcesses()
    {
        var port = FreePort.Get();
        var directory = PortReservations.Default.LockDirectory;

        Assert.NotNull(directory);
        Assert.Throws<IOException>(() => new FileStream(PortReservations.LockPath(directory, port), FileMode.Open, FileAccess.ReadWrite, FileShare.None));
    }

    [Fact]
    public void TryTake_PortLockedByAnotherHolder_NotHandedOutUntilReleased()
    {
        var port = FreePort.Get();
        var pool = new PortReservations(port, port, _directory);
        var holder = new FileStream(PortReservations.LockPath(_directory, port), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        Assert.False(pool.TryTake(out _));

        holder.Dispose(); // the holder exited: its file stays, its lock does not

        Assert.True(pool.TryTake(out var taken));
        Assert.Equal(port, taken);
    }

    [Fact]
    public void TryTake_TwoPoolsOneDirectory_NeverTheSamePort()
    {
        var port = FreePort.Get();
        var first = new PortReservations(port, port, _directory);
        var second = new PortReservations(port, port, _directory); // as another process would: its own lock files

        Assert.True(first.TryTake(out var taken));
        Assert.Equal(port, taken);
        Assert.False(second.TryTake(out _));
        Assert.False(first.TryTake(out _)); // nor twice by one pool
    }

    [Fact]
    public async Task TryTake_PortLockedByAnotherProcess_NotHandedOutUntilItExits()
    {
        var port = FreePort.Get();
        var pool = new PortReservations(port, port, _directory);
        // flock(1) takes the same exclusive flock(2) as FileShare.None; --close keeps the lock in flock's process only.
        var start = new ProcessStartInfo("flock") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--nonblock", "--close", PortReservations.LockPath(_directory, port), "-c", "echo locked; exec sleep 120" })
        {
            start.ArgumentList.Add(argument);
        }

        using (var holder = Process.Start(start)!)
        {
            try
            {
                Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

                Assert.False(pool.TryTake(out _));
            }
            finally
            {
                holder.Kill(entireProcessTree: true);
                await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }

        Assert.True(pool.TryTake(out var taken));
        Assert.Equal(port, taken);
    }

    [Fact]
    public void TryTake_PortBoundBySomeoneElse_NotHandedOut()
    {
        var port = FreePort.Get();
        var pool = new PortReservations(port, port, _directory);
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();

        Assert.False(pool.TryTake(out _));
    }

    [Theory]
    [InlineData("32768\t60999\n", 20000, 32767)]
    [InlineData("49152 65535", 20000, 49151)]
    [InlineData("15000 60999", 1024, 14999)]
    [InlineData("1024 40000", 40001, 65535)]
    [InlineData("1024 65000", 1024, 65535)]
    [InlineData(null, 20000, 32767)]
    [InlineData("garbage", 20000, 32767)]
    public void RangeFor_EphemeralRange_WindowOutsideIt(string? ephemeral, int low, int high)
    {
        Assert.Equal((low, high), PortReservations.RangeFor(ephemeral));
    }

    private static (int Low, int High) Ephemeral(string text)
    {
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
