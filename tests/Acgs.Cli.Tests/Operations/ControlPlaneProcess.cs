// Constitutional Hash: cdd01ef066bc6cf2

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
    private ControlPlaneChild? _child;

    public Uri Url { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _child = await ControlPlaneChild.StartAsync(new Dictionary<string, string>
        {
            ["ACGS_DATA_DIR"] = _data,
            ["ACGS_ADMIN_TOKEN"] = AdminToken,
            ["ACGS_SIDECAR_TOKEN"] = SidecarToken,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        Url = _child.Address;
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

        if (_child is not null)
        {
            await _child.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }
}
