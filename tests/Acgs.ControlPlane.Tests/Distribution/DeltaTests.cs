// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.ControlPlane;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>Delta lines (<c>deltas=1</c>): a JSON Merge Patch against the version the sidecar ACKed, the full snapshot otherwise.</summary>
public sealed class DeltaTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        _admin = _host.AdminClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task AnswerAsync(JsonObject message, string node, bool accepted = true)
    {
        var ack = new JsonObject
        {
            ["service_name"] = "orders",
            ["node_id"] = node,
            ["version"] = (string?)message["version"],
            ["nonce"] = (string?)message["nonce"],
            ["accepted"] = accepted,
            ["errors"] = accepted ? new JsonArray() : new JsonArray("delta: base unknown"),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await _host.Client.PostAsJsonAsync("/api/v1/discovery/ack", ack)).StatusCode);
    }

    /// <summary>The first full line that lists <paramref name="destinations"/> destinations of orders (its own registration has been compiled in).</summary>
    private static async Task<JsonObject> SettledAsync(WatchConnection stream, int destinations = 1)
    {
        while (true)
        {
            var line = await stream.NextUpdateAsync();
            if (line["snapshot"]?["clusters"]?["orders"]?["destinations"] is JsonArray listed && listed.Count >= destinations)
            {
                return line;
            }
        }
    }

    [Fact]
    public async Task Watch_DeltasAfterAck_PatchGivesTheFullSnapshot()
    {
        await using var full = await WatchConnection.OpenAsync(_host.Address, "orders", "f1", "127.0.0.1:15007");
        await using var delta = await WatchConnection.OpenWithDeltasAsync(_host.Address, "orders", "d1", "127.0.0.1:15006");
        var first = await SettledAsync(delta, destinations: 2);
        await AnswerAsync(first, "d1");
        await DistributionTests.ActivateBreakerAsync(_admin, "mesh-breaker", "mesh", failMax: 7);
        var patch = await delta.NextUpdateAsync();
        var expected = await full.NextSnapshotAsync();
        while ((string?)expected["version"] != (string?)patch["version"])
        {
            expected = await full.NextSnapshotAsync();
        }

        Assert.Equal("delta", (string?)patch["type"]);
        Assert.Equal((string?)first["version"], (string?)patch["base"]);
        Assert.Null(patch["patch"]!["routes"]);
        var patched = first["snapshot"]!.DeepClone().AsObject();
        JsonMergePatch.Apply(patched, patch["patch"]!.AsObject());
        Assert.True(JsonNode.DeepEquals(expected["snapshot"], patched));
    }

    [Fact]
    public async Task Watch_DeltaNacked_FullSnapshotOfTheSameVersionFollows()
    {
        await using var delta = await WatchConnection.OpenWithDeltasAsync(_host.Address, "orders", "d1", "127.0.0.1:15006");
        await AnswerAsync(await SettledAsync(delta), "d1");
        await DistributionTests.ActivateBreakerAsync(_admin, "mesh-breaker", "mesh", failMax: 7);
        var patch = await delta.NextUpdateAsync();
        Assert.Equal("delta", (string?)patch["type"]);

        await AnswerAsync(patch, "d1", accepted: false);
        var again = await delta.NextUpdateAsync();
        Assert.Equal("snapshot", (string?)again["type"]);
        Assert.Equal((string?)patch["version"], (string?)again["version"]);
        Assert.Equal(7, (int)again["snapshot"]!["inbound"]!["breaker"]!["fail_max"]!);
    }

    [Fact]
    public async Task Watch_NoAck_FullSnapshotNotDelta()
    {
        await using var delta = await WatchConnection.OpenWithDeltasAsync(_host.Address, "orders", "d1", "127.0.0.1:15006");
        await SettledAsync(delta);
        await DistributionTests.ActivateBreakerAsync(_admin, "mesh-breaker", "mesh", failMax: 7);
        Assert.Equal("snapshot", (string?)(await delta.NextUpdateAsync())["type"]);
    }

    [Fact]
    public async Task Watch_BadDeltasValue_400ProblemNothingRegistered()
    {
        using var response = await _host.Client.GetAsync("/api/v1/discovery/watch?service=orders&node=d1&address=127.0.0.1:15006&deltas=yes");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("deltas: must be 0 or 1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("[]", await _host.Client.GetStringAsync("/api/v1/discovery/sidecars"));
    }
}
