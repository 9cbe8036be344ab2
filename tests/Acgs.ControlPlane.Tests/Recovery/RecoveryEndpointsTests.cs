// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.Testing;

namespace Acgs.ControlPlane.Tests.Recovery;

/// <summary><c>/api/v1/recovery/...</c> on a real control plane (embedded store); automatic attempts are a minute away.</summary>
public sealed class RecoveryEndpointsTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?>
        {
            ["ACGS_RECOVERY_INITIAL_DELAY_MS"] = "60000",
            ["ACGS_RECOVERY_PRIORITIES"] = "audit-ledger=1",
        });
        _admin = _host.AdminClient();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private static async Task<List<string>> ErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadAsync(response);
        Assert.Equal("urn:acgs:validation-failed", (string?)problem["type"]);
        return [.. problem["errors"]!.AsArray().Select(e => (string)e!)];
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Writes_WithoutToken_401AndNothingQueued()
    {
        var retry = await _host.Client.PostAsync("/api/v1/recovery/tasks/orders/retry", null);
        var cancel = await _host.Client.PostAsync("/api/v1/recovery/tasks/orders/cancel", null);
        var patch = await _host.Client.PatchAsync("/api/v1/recovery/tasks/orders", Json("{\"priority\":1}"));

        Assert.Equal(HttpStatusCode.Unauthorized, retry.StatusCode);
        Assert.Equal("Bearer", retry.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, patch.StatusCode);
        Assert.Equal(0, (int)(await ReadAsync(await _host.Client.GetAsync("/api/v1/recovery/tasks")))["count"]!);
    }

    [Fact]
    public async Task Writes_NoAdminTokenConfigured_403()
    {
        var directory = ControlPlaneHost.NewDataDirectory();
        await using (var host = await ControlPlaneHost.StartEmbeddedAsync(directory, adminToken: null))
        {
            var response = await host.Client.PostAsync("/api/v1/recovery/tasks/orders/retry", null);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("urn:acgs:writes-disabled", (string?)(await ReadAsync(response))["type"]);
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task Retry_NoTask_201StartsOperatorTaskThen200()
    {
        var created = await _admin.PostAsync("/api/v1/recovery/tasks/orders/retry", Json("{\"strategy\":\"manual\",\"priority\":9}"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/v1/recovery/tasks/orders", created.Headers.Location?.OriginalString);
        var task = await ReadAsync(created);
        Assert.Equal("operator", (string?)task["trigger"]);
        Assert.Equal("manual", (string?)task["strategy"]);
        Assert.Equal(9, (int)task["priority"]!);

        var shown = await ReadAsync(await _host.Client.GetAsync("/api/v1/recovery/tasks/orders"));
        Assert.Equal((long)task["id"]!, (long)shown["id"]!);

        await AwaitingOperatorAsync("orders");
        var again = await _admin.PostAsync("/api/v1/recovery/tasks/orders/retry", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((long)task["id"]!, (long)(await ReadAsync(again))["id"]!);
    }

    [Fact]
    public async Task Patch_BadFieldsAndName_400ListsEveryProblem()
    {
        var response = await _admin.PatchAsync("/api/v1/recovery/tasks/Bad_Name", Json("{\"strategy\":\"sometimes\",\"priority\":-1}"));

        var errors = await ErrorsAsync(response);
        Assert.Equal(3, errors.Count);
        Assert.StartsWith("service:", errors[0], StringComparison.Ordinal);
        Assert.Contains(errors, e => e.StartsWith("strategy:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("priority:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Patch_EmptyObjectOrNoBody_400()
    {
        Assert.Equal(["body: give strategy and/or priority"], await ErrorsAsync(await _admin.PatchAsync("/api/v1/recovery/tasks/orders", Json("{}"))));
        Assert.Single(await ErrorsAsync(await _admin.PatchAsync("/api/v1/recovery/tasks/orders", null)));
        Assert.Equal("body: $.priority: wrong type or value", Assert.Single(await ErrorsAsync(await _admin.PostAsync("/api/v1/recovery/tasks/orders/retry", Json("{\"priority\":\"high\"}")))));
    }

    [Fact]
    public async Task PatchAndCancel_NoActiveTask_404()
    {
        var patch = await _admin.PatchAsync("/api/v1/recovery/tasks/orders", Json("{\"priority\":1}"));
        var cancel = await _admin.PostAsync("/api/v1/recovery/tasks/orders/cancel", null);
        var show = await _host.Client.GetAsync("/api/v1/recovery/tasks/orders");

        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, show.StatusCode);
        Assert.Equal("urn:acgs:not-found", (string?)(await ReadAsync(show))["type"]);
    }

    [Fact]
    public async Task PatchThenCancel_ActiveTask_ChangedThenInHistory()
    {
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsync("/api/v1/recovery/tasks/orders/retry", Json("{\"strategy\":\"manual\"}"))).StatusCode);
        await AwaitingOperatorAsync("orders");

        var patched = await _admin.PatchAsync("/api/v1/recovery/tasks/orders", Json("{\"strategy\":\"linear\",\"priority\":3}"));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var task = await ReadAsync(patched);
        Assert.Equal("linear", (string?)task["strategy"]);
        Assert.Equal(3, (int)task["priority"]!);

        var cancelled = await _admin.PostAsync("/api/v1/recovery/tasks/orders/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (string?)(await ReadAsync(cancelled))["state"]);
        var history = await ReadAsync(await _host.Client.GetAsync("/api/v1/recovery/history"));
        Assert.Equal("cancelled", (string?)history["tasks"]![0]!["state"]);
        Assert.Equal(0, (int)(await ReadAsync(await _host.Client.GetAsync("/api/v1/recovery/tasks")))["count"]!);
    }

    [Fact]
    public async Task List_TwoTasks_InRunOrderByPriority()
    {
        await _admin.PostAsync("/api/v1/recovery/tasks/orders/retry", Json("{\"strategy\":\"manual\"}"));
        await _admin.PostAsync("/api/v1/recovery/tasks/audit-ledger/retry", Json("{\"strategy\":\"manual\"}"));
        await Eventually.TrueAsync(async () => (await ReadAsync(await _host.Client.GetAsync("/api/v1/recovery/tasks")))["tasks"]!.AsArray()
            .All(t => (string?)t!["state"] == "awaiting_operator"));

        await _admin.PatchAsync("/api/v1/recovery/tasks/orders", Json("{\"strategy\":\"exponential\"}"));
        await _admin.PatchAsync("/api/v1/recovery/tasks/audit-ledger", Json("{\"strategy\":\"exponential\"}"));
        var list = await ReadAsync(await _host.Client.GetAsync("/api/v1/recovery/tasks"));

        Assert.Equal(["audit-ledger", "orders"], list["tasks"]!.AsArray().Select(t => (string)t!["service"]!));
    }

    [Fact]
    public async Task History_BadLimit_400()
    {
        Assert.Single(await ErrorsAsync(await _host.Client.GetAsync("/api/v1/recovery/history?limit=0")));
        Assert.Single(await ErrorsAsync(await _host.Client.GetAsync("/api/v1/recovery/history?limit=abc")));
        Assert.Single(await ErrorsAsync(await _host.Client.GetAsync("/api/v1/recovery/history?limit=257")));
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync("/api/v1/recovery/history?limit=256")).StatusCode);
    }

    [Fact]
    public async Task Settings_ShowsEffectiveOptions()
    {
        var settings = await ReadAsync(await _host.Client.GetAsync("/api/v1/recovery"));

        Assert.Equal("critical", (string?)settings["trigger"]);
        Assert.Equal("exponential", (string?)settings["strategy"]);
        Assert.Equal(5, (int)settings["max_attempts"]!);
        Assert.Equal(60000, (double)settings["initial_delay_ms"]!);
        Assert.Equal(1, (int)settings["priorities"]!["audit-ledger"]!);
    }

    /// <summary>Waits until the operator-started manual task has made its attempt (an action during it would get 409).</summary>
    private Task AwaitingOperatorAsync(string service) => Eventually.TrueAsync(async () =>
        (string?)(await ReadAsync(await _host.Client.GetAsync($"/api/v1/recovery/tasks/{service}")))["state"] == "awaiting_operator");

}
