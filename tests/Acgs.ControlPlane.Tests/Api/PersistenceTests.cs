// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>Restarts of the control plane on the embedded store; tampering with the audit log on disk.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();

    private static async Task WriteActivePolicyAsync(ControlPlaneHost host, string id)
    {
        using var admin = host.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = id })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/v1/policies/{id}/versions", PolicyDocuments.VersionBody("1.0.0", PolicyDocuments.Breaker(id)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync($"/api/v1/policies/{id}/activate?version=1.0.0", null)).StatusCode);
    }

    [Fact]
    public async Task Restart_EmbeddedStore_LosesNothing()
    {
        string before;
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(_directory))
        {
            await WriteActivePolicyAsync(host, "kept");
            before = await host.Client.GetStringAsync("/api/v1/audit");
        }

        await using (var restarted = await ControlPlaneHost.StartEmbeddedAsync(_directory))
        {
            var policy = JsonNode.Parse(await restarted.Client.GetStringAsync("/api/v1/policies/kept"))!;
            Assert.Equal("1.0.0", (string?)policy["active_version"]);
            Assert.Equal(before, await restarted.Client.GetStringAsync("/api/v1/audit"));
        }
    }

    [Fact]
    public async Task Audit_TamperedEntryOnDisk_ChainFailsVerification()
    {
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(_directory))
        {
            await WriteActivePolicyAsync(host, "tampered");
        }

        var path = Path.Combine(_directory, "state.json");
        var state = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        state["audit"]![1]!["actor"] = "mallory";
        await File.WriteAllTextAsync(path, state.ToJsonString());

        await using var restarted = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        var audit = JsonNode.Parse(await restarted.Client.GetStringAsync("/api/v1/audit"))!;

        Assert.False((bool)audit["chain_valid"]!);
        Assert.Equal(2, (long)audit["first_invalid_sequence"]!);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
