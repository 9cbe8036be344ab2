// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>
/// The real control plane as a separate process (<see cref="ControlPlaneChild"/>), embedded store, 127.0.0.1 on a free
/// port. The data plane never references the control plane, so the end-to-end tests talk to it over HTTP only;
/// killing the process is a real crash.
/// </summary>
public sealed class ControlPlaneProcess : IAsyncDisposable
{
    public const string AdminToken = "e2e-admin-token-0123456789";

    private readonly ControlPlaneChild _child;

    private ControlPlaneProcess(ControlPlaneChild child)
    {
        _child = child;
    }

    public Uri Address => _child.Address;

    public static async Task<ControlPlaneProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? environment = null, int? port = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ACGS_DATA_DIR"] = dataDirectory,
            ["ACGS_ADMIN_TOKEN"] = AdminToken,
            ["ACGS_API_READS"] = "open", // the tests read with plain clients; the scopes are the control plane's own tests
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }

        return new ControlPlaneProcess(await ControlPlaneChild.StartAsync(settings, port));
    }

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output() => _child.Process.Output();

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>Sends SIGTERM and waits (at most 60 s) for the process to exit; returns the time from the signal to the exit and the exit code.</summary>
    public Task<(TimeSpan Elapsed, int ExitCode)> TerminateAsync() => _child.Process.TerminateAsync(TimeSpan.FromSeconds(60));

    /// <summary>Kills the process (a crash) and waits for it to exit.</summary>
    public Task KillAsync() => _child.Process.KillAsync();

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
