// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.StatusPage;

/// <summary>
/// The status page's "Top callers (last hour)", rendered by a real headless Chromium from the metering windows a sidecar
/// posted: requests and bus messages apart, largest first, refreshed by the event stream, and callers' names only ever as text.
/// </summary>
public sealed class StatusPageTopCallersTests
{
    private const string SidecarToken = "status-page-sidecar-token-0123456789";

    /// <summary>Rendered as HTML these would add an image and a script that set <c>window.__pwned</c>.</summary>
    private const string HostileImage = "<img/src=x/onerror=window.__pwned=1>";

    private const string HostileScript = "</td></tr></table><script>window.__pwned=2</script>";

    private static Task<ControlPlaneHost> StartAsync() =>
        ControlPlaneHost.StartEmbeddedAsync(ControlPlaneHost.NewDataDirectory(), extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_TOKEN"] = SidecarToken });

    [Fact]
    public async Task Page_InHeadlessChromium_ShowsTheLastHoursTopCallersAndUpdatesLive()
    {
        await using var host = await StartAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PostAsync(host,
            Window("audit-ledger", "n1", now - 120_000, 0,
                Row("http", "vector-search", 20, 2048, 3072, 50_000), Row("bus", "planner-agent", 5, 500, 0, 0)),
            Window("audit-ledger", "n1", now - 60_000, 1, Row("http", "vector-search", 10, 1024, 0, 10_000)),
            Window("audit-ledger", "n1", now - (2 * 3_600_000), 2, Row("http", "two-hours-ago", 999, 0, 0, 0)));
        await PostAsync(host,
            Window("deliberation-layer", "n2", now - 30_000, 0, Row("http", "planner-agent", 7, 0, 700, 7_000), Row("bus", "planner-agent", 3, 300, 0, 0)));

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(new Uri(host.Address, "/#token=" + ControlPlaneHost.AdminToken));
        await browser.WaitForAsync("document.querySelectorAll('#top-callers tbody tr').length === 3 && document.getElementById('live').textContent.includes('live')");

        Assert.Equal(
            [
                "vector-search audit-ledger 30 0 3.0 KiB / 3.0 KiB 2.00 ms",
                "planner-agent deliberation-layer 7 3 300 B / 700 B 1.00 ms",
                "planner-agent audit-ledger 0 5 500 B / 0 B -",
            ],
            await RowsAsync(browser));
        Assert.Equal("Top callers (last hour)", (await browser.EvaluateAsync("document.querySelector('#top-callers').previousElementSibling.firstChild.textContent.trim()"))!.GetValue<string>());

        // a new caller's window arrives after the page loaded: shown through the event stream, without a reload
        await PostAsync(host, Window("audit-ledger", "n1", now - 10_000, 3, Row("http", "constraint-generation", 100, 0, 0, 100_000)));
        await browser.WaitForAsync("document.querySelectorAll('#top-callers tbody tr').length === 4");
        Assert.Equal("constraint-generation audit-ledger 100 0 0 B / 0 B 1.00 ms", (await RowsAsync(browser))[0]);
    }

    [Fact]
    public async Task Page_HostileCallerNames_ShownAsTextNeverAsHtml()
    {
        await using var host = await StartAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await PostAsync(host,
            Window("audit-ledger", "n1", now - 60_000, 0, Row("http", HostileImage, 2, 0, 0, 0), Row("bus", HostileScript, 1, 10, 0, 0)));

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(new Uri(host.Address, "/#token=" + ControlPlaneHost.AdminToken));
        await browser.WaitForAsync("document.querySelectorAll('#top-callers tbody tr').length === 2");

        var names = (await browser.EvaluateAsync("JSON.stringify([...document.querySelectorAll('#top-callers tbody tr')].map(r => r.cells[0].textContent))"))!.GetValue<string>();
        Assert.Equal([HostileImage, HostileScript], JsonNode.Parse(names)!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
        Assert.Equal(0, (await browser.EvaluateAsync("document.querySelectorAll('img, main script, table script').length"))!.GetValue<int>());
        Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('script').length"))!.GetValue<int>());
        Assert.Equal("undefined", (await browser.EvaluateAsync("typeof window.__pwned"))!.GetValue<string>());
        Assert.Equal(7, (await browser.EvaluateAsync("document.querySelectorAll('main > section').length"))!.GetValue<int>());
    }

    private static async Task<string[]> RowsAsync(HeadlessChromium browser)
    {
        var json = (await browser.EvaluateAsync(
            "JSON.stringify([...document.querySelectorAll('#top-callers tbody tr')].map(r => [...r.cells].map(c => c.textContent).join(' ')))"))!.GetValue<string>();
        return JsonNode.Parse(json)!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
    }

    private static JsonObject Window(string service, string node, long start, int sequence, params JsonObject[] rows) => new()
    {
        ["id"] = $"{service}/{node}/{start}/{sequence}",
        ["service"] = service,
        ["node"] = node,
        ["start_unix_ms"] = start,
        ["end_unix_ms"] = start + 10_000,
        ["rows"] = new JsonArray(rows),
    };

    private static JsonObject Row(string kind, string source, long count, long requestBytes, long responseBytes, long durationUs) => new()
    {
        ["kind"] = kind,
        ["source"] = source,
        ["operation"] = kind == "bus" ? "agent-x" : "/api",
        ["tenant"] = "-",
        ["status_class"] = 2,
        ["count"] = count,
        ["request_bytes"] = requestBytes,
        ["response_bytes"] = responseBytes,
        ["duration_us"] = durationUs,
    };

    private static async Task PostAsync(ControlPlaneHost host, params JsonObject[] windows)
    {
        var batch = new JsonObject { ["windows"] = new JsonArray(windows) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/metering/windows") { Content = new StringContent(batch.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        using var response = await host.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
