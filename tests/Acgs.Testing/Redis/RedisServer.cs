// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit;

namespace Acgs.Testing.Redis;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, for tests. Start it with <see cref="StartNewAsync"/> (or use it
/// as an xunit fixture: <see cref="IAsyncLifetime"/>); <see cref="StopAsync"/> kills it, <see cref="StartAsync"/>
/// starts it again on the same port, disposing kills it. Nothing is persisted unless
/// <see cref="RedisServerOptions.DataDirectory"/> is set.
/// </summary>
public sealed class RedisServer : IAsyncDisposable, IAsyncLifetime
{
    private const int MaxOutputLines = 200;
    private static readonly ConcurrentDictionary<RedisServer, byte> Running = new();
    private readonly RedisServerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private readonly bool _portChosenByUs;
    private bool _startedOnce;
    private bool _disposed;

    static RedisServer()
    {
        // A test run that ends without disposing (crash, forgotten fixture) must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += static (_, _) =>
        {
            foreach (var server in Running.Keys)
            {
                server.KillQuietly();
            }
        };
    }

    /// <summary>Prepares a server (not started); the port is chosen now and kept across restarts.</summary>
    public RedisServer(RedisServerOptions? options = null)
    {
        _options = options ?? RedisServerOptions.Default;
        _portChosenByUs = _options.Port == 0;
        Port = _portChosenByUs ? FreePort.Get() : _options.Port;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The server as a <c>REDIS_URL</c>: <c>redis://127.0.0.1:PORT/0</c>.</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"redis://127.0.0.1:{Port}/0");

    /// <summary>The server as a StackExchange.Redis configuration string: <c>127.0.0.1:PORT,abortConnect=false</c>.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port},abortConnect=false");

    /// <summary>The server's endpoint.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The last lines the server printed (for failure messages).</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Creates and starts a server; waits until it answers <c>PING</c>.</summary>
    public static async Task<RedisServer> StartNewAsync(RedisServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new RedisServer(options);
        try
        {
            await server.StartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again, on the same port) and waits until it answers <c>PING</c>. No-op when running.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                return;
            }

            var executable = RedisServerExecutable.Find(_options.ExecutablePath);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await LaunchAsync(executable, cancellationToken);
                    _startedOnce = true;
                    return;
                }
                catch (RedisServerStartException) when (_portChosenByUs && !_startedOnce && attempt < 3)
                {
                    // Someone took the free port between choosing and binding it: choose another.
                    Port = FreePort.Get();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kills the server (like a crash) and waits until the process has exited. No-op when stopped.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await KillAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server with the <c>SHUTDOWN</c> command (it flushes what it persists), killing it after 10 s.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_process is not { HasExited: false } process)
            {
                return;
            }

            _ = await RedisPing.TrySendAsync(Port, "SHUTDOWN", cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await KillAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Kills the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await KillAsync(CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private async Task LaunchAsync(string executable, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in BuildArguments())
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Running[this] = 0;

        var ready = false;
        try
        {
            await Eventually.TrueAsync(
                async () => process.HasExited || (ready = await RedisPing.IsReadyAsync(Port, cancellationToken)),
                "redis-server answers PING or exits",
                _options.StartTimeout);
        }
        catch (TimeoutException)
        {
        }

        if (ready)
        {
            return;
        }

        var exited = process.HasExited; // before the kill below
        await KillAsync(cancellationToken);
        throw new RedisServerStartException(exited
            ? $"redis-server exited with code {process.ExitCode} before answering PING on port {Port}:{Environment.NewLine}{RecentOutput}"
            : $"redis-server did not answer PING on port {Port} within {_options.StartTimeout}:{Environment.NewLine}{RecentOutput}");
    }

    private List<string> BuildArguments()
    {
        var arguments = new List<string>
        {
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--daemonize", "no",
            "--save", string.Empty,
            "--logfile", string.Empty,
        };
        if (_options.DataDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            arguments.AddRange(["--dir", Path.GetFullPath(directory), "--appendonly", "yes", "--appendfsync", "always"]);
        }
        else
        {
            arguments.AddRange(["--appendonly", "no"]);
        }

        arguments.AddRange(_options.ExtraArguments);
        return arguments;
    }

    private async Task KillAsync(CancellationToken cancellationToken)
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
            _process = null;
            Running.TryRemove(this, out _);
        }
    }

    private void KillQuietly()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > MaxOutputLines && _output.TryDequeue(out _))
        {
        }
    }
}
