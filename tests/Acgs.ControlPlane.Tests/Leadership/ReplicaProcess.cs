// Constitutional Hash: cdd01ef066bc6cf2

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
    private readonly ControlPlaneChild _child;

    private ReplicaProcess(ControlPlaneChild child)
    {
        _child = child;
        Client = new HttpClient { BaseAddress = child.Address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address => _child.Address;

    /// <summary>A client without credentials.</summary>
    public HttpClient Client { get; }

    public static async Task<ReplicaProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string> { ["ACGS_API_READS"] = "open" };
        foreach (var (name, value) in settings)
        {
            all[name] = value;
        }

        return new ReplicaProcess(await ControlPlaneChild.StartAsync(all));
    }

    /// <summary>A client carrying the admin token.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ControlPlaneHost.AdminToken);
        return client;
    }

    /// <summary>Kills the process (SIGKILL: no lease released, no goodbye) and waits for it to exit.</summary>
    public Task KillAsync() => _child.Process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _child.DisposeAsync();
    }
}
