// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Testing;

/// <summary>
/// The built control plane (<c>dotnet Acgs.ControlPlane.dll</c> of the tests' configuration) as a child process on
/// 127.0.0.1 and a port, with the given settings and nothing ACGS-related inherited from the test runner; started once
/// its <c>/health/ready</c> answers 2xx. Killing it is a real crash, which an in-process host cannot show.
/// </summary>
public sealed class ControlPlaneChild : IAsyncDisposable
{
    /// <summary>How long the process may take to become ready: generous, a loaded CI machine starts .NET slowly.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private ControlPlaneChild(ChildProcess process, Uri address)
    {
        Process = process;
        Address = address;
    }

    /// <summary>The process (its output, SIGTERM, SIGKILL).</summary>
    public ChildProcess Process { get; }

    /// <summary>The API's base address, <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Address { get; }

    /// <summary>
    /// Starts the control plane on <paramref name="port"/> (a free one when null) with <paramref name="settings"/> on
    /// top of the port and bind address, and waits until it is ready (the test fails with its output when it is not
    /// within <see cref="ReadyTimeout"/> or exits).
    /// </summary>
    public static async Task<ControlPlaneChild> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var chosen = port ?? FreePort.Get();
        var variables = new Dictionary<string, string>
        {
            ["ACGS_CONTROL_PLANE_PORT"] = chosen.ToString(CultureInfo.InvariantCulture),
            ["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1",
        };
        foreach (var (name, value) in settings)
        {
            variables[name] = value;
        }

        var process = ChildProcess.StartBuilt("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane", variables);
        var child = new ControlPlaneChild(process, new Uri($"http://127.0.0.1:{chosen.ToString(CultureInfo.InvariantCulture)}/"));
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = child.Address, Timeout = TimeSpan.FromSeconds(10) };
            await Eventually.TrueAsync(() => child.ReadyAsync(client), "the control plane becomes ready", ReadyTimeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            var output = process.Output();
            await child.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("the control plane did not become ready: " + output, e);
        }

        return child;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private async Task<bool> ReadyAsync(HttpClient client)
    {
        if (Process.HasExited)
        {
            throw new InvalidOperationException("the control plane exited");
        }

        try
        {
            using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative)).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
