// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Metering;

/// <summary>
/// The metering endpoints over HTTP on a real control plane (embedded store): a batch is validated whole (400 naming every
/// problem, nothing stored), and <c>GET /api/v1/metering</c> answers CSV on <c>Accept: text/csv</c> and 400 on a bad parameter.
/// </summary>
public sealed class MeteringEndpointsTests : IAsyncLifetime
{
    private const string SidecarToken = "metering-endpoints-sidecar-token-0123456789";

    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await ControlPlaneHost.StartEmbeddedAsync(_directory, extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_TOKEN"] = SidecarToken });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Windows_BadRowAndMixedServices_400EveryProblemNothingStored()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var good = Window("ledger", start, 0, Row("http", "search", 3));
        var badRow = Window("ledger", start, 1, Row("colour", "search", -1));
        var otherService = Window("orders", start, 2, Row("http", "search", 1));

        using var response = await PostAsync(good, badRow, otherService);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(text)!["errors"]!.AsArray().Select(e => (string)e!).ToArray();
        Assert.Equal(3, errors.Length);
        Assert.Contains(errors, e => e.Contains("kind", StringComparison.Ordinal) && e.Contains("must be http, bus or other", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("must not be negative", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("service", StringComparison.Ordinal) && e.Contains("one service and node", StringComparison.Ordinal));
        var answer = JsonNode.Parse(await _host.Client.GetStringAsync("/api/v1/metering?from=0"))!;
        Assert.Equal(0, (int)answer["windows"]!); // the good window of the refused batch was not stored either
    }

    [Fact]
    public async Task Query_AcceptTextCsv_CsvTotalsOfTheStoredWindows()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        using (var posted = await PostAsync(Window("ledger", start, 0, Row("http", "search", 7), Row("http", "planner", 2))))
        {
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/metering?from=0&group_by=source");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("source,count,request_bytes,response_bytes,duration_us\nsearch,7,0,0,0\nplanner,2,0,0,0\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Query_BadParameter_400NamingIt()
    {
        using var response = await _host.Client.GetAsync("/api/v1/metering?group_by=colour");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.StartsWith("group_by: 'colour' is not one of", (string?)JsonNode.Parse(text)!["errors"]![0], StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(params JsonObject[] windows)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/metering/windows")
        {
            Content = new StringContent(new JsonObject { ["windows"] = new JsonArray(windows) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        return await _host.Client.SendAsync(request);
    }

    private static JsonObject Window(string service, long start, int sequence, params JsonObject[] rows) => new()
    {
        ["id"] = $"{service}/n1/{start}/{sequence}",
        ["service"] = service,
        ["node"] = "n1",
        ["start_unix_ms"] = start,
        ["end_unix_ms"] = start + 10_000,
        ["rows"] = new JsonArray(rows),
    };

    private static JsonObject Row(string kind, string source, long count) => new()
    {
        ["kind"] = kind,
        ["source"] = source,
        ["operation"] = "/api",
        ["tenant"] = "-",
        ["status_class"] = 2,
        ["count"] = count,
        ["request_bytes"] = 0,
        ["response_bytes"] = 0,
        ["duration_us"] = 0,
    };
}
