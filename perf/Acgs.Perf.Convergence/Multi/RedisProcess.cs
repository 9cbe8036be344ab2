// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Acgs.Perf.Convergence.Multi;

/// <summary>A <c>redis-server</c> for one run: loopback, a free port, no persistence; killed on dispose.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Child _child;

    private RedisProcess(Child child, int port)
    {
        _child = child;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _child.Pid;

    public string Url => string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{Port}/0");

    /// <summary><paramref name="explicitPath"/>, else <c>redis-server</c> on PATH, /usr/bin or /usr/local/bin; null when none.</summary>
    public static string? Find(string? explicitPath)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath) ? explicitPath : null;
        }

        return OnPath("redis-server", "/usr/bin", "/usr/local/bin");
    }

    /// <summary><paramref name="name"/> in a PATH directory or else one of <paramref name="fallbacks"/>; null when none has it.</summary>
    public static string? OnPath(string name, params string[] fallbacks)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(fallbacks);
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    public static async Task<RedisProcess> StartAsync(string executable, string logDirectory, IReadOnlyList<int>? cpus = null)
    {
        var port = FreePort();
        var child = Child.Start(executable, ["--port", I(port), "--bind", "127.0.0.1", "--daemonize", "no", "--save", string.Empty, "--appendonly", "no"],
            new Dictionary<string, string>(), Path.Combine(logDirectory, "redis.log"), cpus: cpus);
        var redis = new RedisProcess(child, port);
        var started = Stopwatch.GetTimestamp();
        while (!await PingAsync(port).ConfigureAwait(false))
        {
            if (child.HasExited || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(20))
            {
                redis.Dispose();
                throw new InvalidOperationException($"redis-server did not answer PING on port {port}; see {logDirectory}/redis.log");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        return redis;
    }

    /// <summary>A free loopback port for a child that binds it later (<see cref="Acgs.Testing.PortReservations"/>: outside the ephemeral range, reserved across processes).</summary>
    public static int FreePort() => Acgs.Testing.PortReservations.Default.Take();

    public void Dispose() => _child.Dispose();

    private static async Task<bool> PingAsync(int port)
    {
        try
        {
            using var client = new TcpClient(AddressFamily.InterNetwork);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
