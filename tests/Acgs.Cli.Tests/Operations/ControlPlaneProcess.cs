// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.Testing;

namespace Acgs.Cli.Tests.Operations;

/// <summary>
/// The built control plane as a child process (embedded store in a temporary directory, loopback, a free port),
/// plus what a sidecar does on its API (watch, ACK) so that acgsctl sees a real mesh.
/// </summary>
public sealed class ControlPlaneProcess : IAsyncLifetime
{
    public const string AdminToken = "cli-tests-admin-token-0123456789";
    public const string SidecarToken = "cli-tests-sidecar-token-0123456789";

    private readonly string _data = Directory.CreateTempSubdirectory("acgsctl-cp-").FullName;
    private readonly List<(HttpClient Client, Stream Stream)> _watches = [];
    private Process? _process;

    public Uri Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Get();
        Url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"));
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("ACGS_", StringComparison.Ordinal) || name.StartsWith("REDIS_", StringComparison.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["ACGS_CONTROL_PLANE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1";
        start.Environment["ACGS_DATA_DIR"] = _data;
        start.Environment["ACGS_ADMIN_TOKEN"] = AdminToken;
        start.Environment["ACGS_SIDECAR_TOKEN"] = SidecarToken;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = Url };
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await client.GetAsync(new Uri("health/ready", UriKind.Relative))).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the control plane is ready", TimeSpan.FromSeconds(60));
    }

    /// <summary>Opens a watch stream as sidecar <paramref name="node"/> of <paramref name="service"/> and returns the first snapshot's version and nonce.</summary>
    public async Task<(string Version, string Nonce)> WatchAsync(string service, string node, int port)
    {
        var client = new HttpClient { BaseAddress = Url, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        var stream = await client.GetStreamAsync(new Uri($"api/v1/discovery/watch?service={service}&node={node}&address=127.0.0.1:{port}", UriKind.Relative));
        _watches.Add((client, stream));
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != (byte)'\n')
        {
            line.Append((char)one[0]);
        }

        var snapshot = JsonNode.Parse(line.ToString())!;
        return (snapshot["version"]!.GetValue<string>(), snapshot["nonce"]!.GetValue<string>());
    }

    /// <summary>Sends a health report (JSON <paramref name="body"/>) as sidecar <paramref name="node"/> of <paramref name="service"/>.</summary>
    public async Task ReportAsync(string service, string node, string body)
    {
        using var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        using var response = await client.PutAsync(new Uri($"api/v1/health/{service}/{node}", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>ACKs (or NACKs) a pushed snapshot, as the sidecar does after applying it.</summary>
    public async Task AckAsync(string service, string node, string version, string nonce, bool accepted = true)
    {
        using var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        var body = new JsonObject
        {
            ["service_name"] = service,
            ["node_id"] = node,
            ["version"] = version,
            ["nonce"] = nonce,
            ["accepted"] = accepted,
            ["errors"] = accepted ? new JsonArray() : new JsonArray("cluster x: no endpoints"),
        };
        using var response = await client.PostAsync(new Uri("api/v1/discovery/ack", UriKind.Relative), new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        foreach (var (client, stream) in _watches)
        {
            await stream.DisposeAsync();
            client.Dispose();
        }

        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
