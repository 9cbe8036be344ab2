// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Acgs.BusPerf;

/// <summary>The parent's handle on the bus host child process.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, int port)
    {
        _process = process;
        EndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The bus host's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Starts the bus host; with <paramref name="taskset"/> it runs on <see cref="CpuPinning.HostCpu"/> (taskset execs it, so the pid is kept).</summary>
    public static async Task<HostProcess> StartAsync(bool allocationTypes = false, string? taskset = null, bool sharedTransport = false, IReadOnlyList<string>? environment = null)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(taskset ?? self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (taskset is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(CpuPinning.HostCpu);
            info.ArgumentList.Add(self);
        }

        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(HostProcess).Assembly.Location);
        }

        foreach (var pair in environment ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            info.Environment[pair[..eq]] = pair[(eq + 1)..];
        }

        info.ArgumentList.Add("host");
        if (allocationTypes)
        {
            info.ArgumentList.Add("--alloc-types");
        }

        if (sharedTransport)
        {
            info.ArgumentList.Add("--shared-transport");
        }

        var process = Process.Start(info)!;
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("bus host exited");
        var port = int.Parse(line.AsSpan("ready ".Length), CultureInfo.InvariantCulture);
        return new HostProcess(process, port);
    }

    public async Task<string> CommandAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await _process.StandardOutput.ReadLineAsync() ?? string.Empty;
    }

    public static double Field(string stats, string name)
    {
        foreach (var part in stats.Split(' '))
        {
            if (part.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return double.Parse(part.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
