// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Perf.Lab;

/// <summary>The peers every mode measures against: the backend, nginx and HAProxy (one worker each) and plain YARP, each started from its
/// template or build output on a free loopback port; a peer that is not installed or not built is noted and skipped.</summary>
internal sealed partial class PerfLab
{
    private async Task<int> StartBackendAsync(string backendDll, TextWriter log, CancellationToken ct)
    {
        var backendPort = FreePort.Next();
        if (!File.Exists(backendDll))
        {
            throw new FileNotFoundException($"backend not built: {backendDll} (./acgs perf builds it)");
        }

        var backend = Start("backend", "dotnet", [backendDll, "--port", backendPort.ToString(CultureInfo.InvariantCulture)], DotnetEnvironment);
        var backendUri = Loopback(backendPort);
        await ReadyAsync(backend, backendUri, ct).ConfigureAwait(false);
        Add(TargetKind.Direct, "direct", backendUri, null, false);
        log.WriteLine($"backend   {backendUri} (pid {backend.Pid})");
        return backendPort;
    }

    private async Task StartNginxAsync(string root, int backendPort, TextWriter log, CancellationToken ct)
    {
        var nginx = FindBinary("nginx");
        if (nginx is null)
        {
            _notes.Add("nginx not installed: skipped");
            return;
        }

        var dir = Directory.CreateDirectory(Path.Combine(WorkDir, "nginx")).FullName;
        var port = FreePort.Next();
        var conf = Render(Path.Combine(root, "perf/config/nginx.conf.template"), dir, port, backendPort);
        var path = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(path, conf, ct).ConfigureAwait(false);
        var p = Start("nginx", nginx, ["-e", Path.Combine(dir, "nginx-error.log"), "-p", dir, "-c", path], new Dictionary<string, string>());
        var uri = Loopback(port);
        await ReadyAsync(p, uri, ct).ConfigureAwait(false);
        Add(TargetKind.Nginx, "nginx", uri, p, false);
        log.WriteLine($"nginx     {uri} (pid {p.Pid}, 1 worker, upstream keepalive)");
    }

    private async Task StartHaproxyAsync(string root, int backendPort, TextWriter log, CancellationToken ct)
    {
        var haproxy = FindBinary("haproxy");
        if (haproxy is null)
        {
            _notes.Add("haproxy not installed: skipped");
            return;
        }

        var dir = Directory.CreateDirectory(Path.Combine(WorkDir, "haproxy")).FullName;
        var port = FreePort.Next();
        var path = Path.Combine(dir, "haproxy.cfg");
        await File.WriteAllTextAsync(path, Render(Path.Combine(root, "perf/config/haproxy.cfg.template"), dir, port, backendPort), ct).ConfigureAwait(false);
        var p = Start("haproxy", haproxy, ["-db", "-f", path], new Dictionary<string, string>());
        var uri = Loopback(port);
        await ReadyAsync(p, uri, ct).ConfigureAwait(false);
        Add(TargetKind.Haproxy, "haproxy", uri, p, false);
        log.WriteLine($"haproxy   {uri} (pid {p.Pid}, nbthread 1, http-reuse always)");
    }

    private async Task StartPlainYarpAsync(string dll, int backendPort, TextWriter log, CancellationToken ct)
    {
        if (!File.Exists(dll))
        {
            _notes.Add($"plain YARP not built ({dll}): skipped");
            return;
        }

        int port = FreePort.Next(), statsPort = FreePort.Next();
        var p = Start("plain-yarp", "dotnet", [dll, "--port", Inv(port), "--backend-port", Inv(backendPort), "--stats-port", Inv(statsPort)], DotnetEnvironment);
        var uri = Loopback(port);
        await ReadyAsync(p, uri, ct).ConfigureAwait(false);
        Add(TargetKind.PlainYarp, "plain-yarp", uri, p, false, statsUri: Loopback(statsPort));
        log.WriteLine($"plain-yarp {uri} (pid {p.Pid})");
    }

    private static string? FindBinary(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/local/sbin"))
        {
            var path = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static string Render(string template, string dir, int port, int backendPort) =>
        File.ReadAllText(template)
            .Replace("{{DIR}}", dir, StringComparison.Ordinal)
            .Replace("{{PORT}}", Inv(port), StringComparison.Ordinal)
            .Replace("{{BACKEND_PORT}}", Inv(backendPort), StringComparison.Ordinal);

    private async Task Noting(string name, Task start)
    {
        try
        {
            await start.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException)
        {
            lock (_notes)
            {
                _notes.Add($"{name} failed to start: {ex.Message}");
            }
        }
    }
}
