// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Acgs.Testing;

namespace Acgs.ControlPlane.Tests.Leadership;

/// <summary>
/// A control-plane replica as a separate process (<c>dotnet Acgs.ControlPlane.dll</c> of the build), on 127.0.0.1 and a free
/// port, with the given settings and nothing ACGS-related inherited from the test runner: killing it is a real crash, which
/// an in-process host cannot show (it always stops gracefully and releases its lease).
/// </summary>
internal sealed class ReplicaProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ReplicaProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    public static async Task<ReplicaProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var port = FreePort.Get();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"));
        foreach (var name in new List<string>(info.Environment.Keys))
        {
            if (name.StartsWith("ACGS_", StringComparison.Ordinal) || name.StartsWith("REDIS_", StringComparison.Ordinal))
            {
                info.Environment.Remove(name);
            }
        }

        info.Environment["ACGS_CONTROL_PLANE_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1";
        info.Environment["ACGS_API_READS"] = "open";
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var replica = new ReplicaProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await Eventually.TrueAsync(replica.ReadyAsync, "the control-plane process becomes ready", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await replica.DisposeAsync();
            throw;
        }

        return replica;
    }

    /// <summary>A client carrying the admin token.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ControlPlaneHost.AdminToken);
        return client;
    }

    /// <summary>Kills the process (SIGKILL: no lease released, no goodbye) and waits for it to exit.</summary>
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
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private async Task<bool> ReadyAsync()
    {
        try
        {
            using var response = await Client.GetAsync("/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
