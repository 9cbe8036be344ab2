// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Identity;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>Workload credentials for the tests: a join token, a CSR naming the node, the answer's control-plane token.</summary>
internal static class WorkloadClients
{
    /// <summary>The CSR answer (certificate, token) for a new key of <paramref name="service"/> on <paramref name="node"/>.</summary>
    public static async Task<(JsonObject Answer, ECDsa Key)> EnrollAsync(ControlPlaneHost host, string service, string node, ControlPlaneHost? csrHost = null)
    {
        using var admin = host.AdminClient();
        var joinToken = await Csrs.MintAsync(admin, service);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Csrs.Body(Csrs.Forged(key), joinToken);
        body["node"] = node;
        var response = await Csrs.SignAsync((csrHost ?? host).Client, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return ((JsonObject)JsonNode.Parse(text)!, key);
    }

    /// <summary>The control-plane token of <paramref name="service"/> on <paramref name="node"/>.</summary>
    public static async Task<string> TokenAsync(ControlPlaneHost host, string service, string node)
    {
        var (answer, key) = await EnrollAsync(host, service, node);
        key.Dispose();
        return (string)answer["control_plane_token"]!;
    }

    /// <summary>A client that presents <paramref name="token"/>.</summary>
    public static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static JsonObject HealthReport(string state) =>
        new() { ["clusters"] = new JsonArray(new JsonObject { ["name"] = "audit-ledger", ["state"] = state }), ["requests_total"] = 1, ["errors_total"] = 0 };

    public static JsonObject Ack(string service, string node) =>
        new() { ["service_name"] = service, ["node_id"] = node, ["version"] = "1-abc", ["nonce"] = "n", ["accepted"] = false, ["errors"] = new JsonArray("spoofed") };
}
