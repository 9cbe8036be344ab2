// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net.Http.Headers;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// The real control plane as a separate process (<c>dotnet Acgs.ControlPlane.dll</c> from its build output),
/// embedded store, 127.0.0.1 on a free port. The data plane never references the control plane, so the
/// end-to-end tests talk to it over HTTP only; killing the process is a real crash.
/// </summary>
public sealed class ControlPlaneProcess : IAsyncDisposable
{
    public const string AdminToken = "e2e-admin-token-0123456789";

    private readonly Process _process;

    private ControlPlaneProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static string AssemblyPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Acgs.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? throw new InvalidOperationException("repository root not found");
        foreach (var configuration in new[] { "Debug", "Release" })
        {
            var path = Path.Combine(root, "controlplane", "Acgs.ControlPlane", "bin", configuration, "net10.0", "Acgs.ControlPlane.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("Acgs.ControlPlane.dll is not built: run 'dotnet build controlplane/Acgs.ControlPlane' (a solution build does it).");
    }

    public static async Task<ControlPlaneProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        var chosen = port ?? FreePort.Get();
        var info = new ProcessStartInfo("dotnet", [AssemblyPath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ACGS_CONTROL_PLANE_PORT"] = chosen.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1";
        info.Environment["ACGS_DATA_DIR"] = dataDirectory;
        info.Environment["ACGS_ADMIN_TOKEN"] = AdminToken;
        info.Environment["REDIS_URL"] = string.Empty;
        info.Environment["ACGS_CONTROL_PLANE_URL"] = string.Empty;
        info.Environment["ACGS_API_READS"] = "open"; // the tests read with plain clients; the scopes are the control plane's own tests
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{chosen}");
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.TrueAsync(() => ReadyAsync(client), "the control plane becomes ready", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ControlPlaneProcess(process, address);
    }

    private static async Task<bool> ReadyAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync("/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>Sends SIGTERM and waits (at most 30 s) for the process to exit; returns how long that took and the exit code.</summary>
    public async Task<(TimeSpan Elapsed, int ExitCode)> TerminateAsync()
    {
        var watch = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return (watch.Elapsed, _process.ExitCode);
    }

    /// <summary>Kills the process (a crash) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
