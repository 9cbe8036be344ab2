// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Distribution;

namespace Acgs.ControlPlane.Tests.StatusPage;

/// <summary>The status page: served with a strict CSP, its data and live stream, and rendered by a real headless Chromium.</summary>
public sealed class StatusPageTests
{
    private const string SidecarToken = "status-page-sidecar-token-0123456789";

    private static readonly string[] Services = ["rust-message-bus", "deliberation-layer", "constraint-generation", "vector-search", "audit-ledger", "adaptive-governance"];

    private static Task<ControlPlaneHost> StartAsync() =>
        ControlPlaneHost.StartEmbeddedAsync(ControlPlaneHost.NewDataDirectory(), extra: new Dictionary<string, string?>
        {
            ["ACGS_SIDECAR_TOKEN"] = SidecarToken,
            ["ACGS_HEALTH_REPORT_MS"] = "120000", // the test reports once: no node may turn silent while chromium starts
        });

    [Fact]
    public async Task Root_Get_ServesThePageWithAStrictContentSecurityPolicy()
    {
        await using var host = await StartAsync();

        using var page = await host.Client.GetAsync(new Uri("/", UriKind.Relative));
        using var script = await host.Client.GetAsync(new Uri("/status.js", UriKind.Relative));

        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("<script src=\"/status.js\"", await page.Content.ReadAsStringAsync());
        Assert.Contains("textContent", await script.Content.ReadAsStringAsync());
        Assert.Equal("nosniff", string.Join(',', script.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Stream_Get_SendsTheStatusAsServerSentEvents()
    {
        await using var host = await StartAsync();
        await using var watch = await Watch(host, "svc-a", "node-1", 19101);

        using var admin = host.AdminClient();
        using var response = await admin.GetAsync(new Uri("/api/v1/status/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("event: status", await reader.ReadLineAsync());
        var data = (await reader.ReadLineAsync())!;
        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        var status = JsonNode.Parse(data["data: ".Length..])!;
        Assert.Equal("svc-a", status["sidecars"]![0]!["service_name"]!.GetValue<string>());
        Assert.Equal("cdd01ef066bc6cf2", status["constitutional_hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task Page_InHeadlessChromium_ShowsSixServicesAndTheOpenBreaker()
    {
        await using var host = await StartAsync();
        var watches = new List<WatchConnection>();
        var port = 19200;
        foreach (var service in Services)
        {
            watches.Add(await Watch(host, service, service + "-local", port++));
        }

        // every join changes the others' snapshots: ACK the last one each sidecar got once the topology is complete
        for (var i = 0; i < Services.Length; i++)
        {
            var pushed = await PushedVersionAsync(host, Services[i]);
            var latest = await watches[i].NextSnapshotAsync();
            while (latest["version"]!.GetValue<string>() != pushed)
            {
                latest = await watches[i].NextSnapshotAsync();
            }

            await Ack(host, Services[i], Services[i] + "-local", latest);
            var state = Services[i] == "vector-search" ? "open" : "closed";
            var edges = Services[i] == "deliberation-layer"
                ? """{"direction":"outbound","peer":"vector-search","requests":12,"errors":12,"p50_ms":0.5,"p99_ms":1.25}"""
                : """{"direction":"inbound","peer":"unauthenticated","requests":50,"errors":0,"p50_ms":0.25,"p99_ms":2.5}""";
            await Report(host, Services[i], Services[i] + "-local",
                $$"""{"clusters":[{"name":"audit-ledger","state":"closed"},{"name":"other","state":"{{state}}"}],"golden":{"window_ms":5000,"edges":[""" + edges + "]}}");
        }

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(new Uri(host.Address, "/#token=" + ControlPlaneHost.AdminToken));
        await browser.WaitForAsync("document.querySelectorAll('#services tbody tr').length === 6 && document.getElementById('live').textContent.includes('live')");

        var services = (await browser.EvaluateAsync("document.querySelector('#services tbody').innerText"))!.GetValue<string>();
        foreach (var service in Services)
        {
            Assert.Contains(service, services);
        }

        Assert.Equal("1 / 0 / 1", (await browser.EvaluateAsync("document.querySelector('#services td.open-breakers').textContent"))!.GetValue<string>());
        await browser.WaitForAsync("[...document.querySelectorAll('#sidecars td')].filter(td => td.textContent === 'in sync').length === 6");

        // golden metrics: per-service success, rps and p99, and the failing edge of the caller whose breaker opened
        var failing = (await browser.EvaluateAsync(
            "[...document.querySelectorAll('#edges tbody tr')].map(r => r.innerText.replace(/\\s+/g, ' ')).find(t => t.startsWith('deliberation-layer vector-search')) || ''"))!.GetValue<string>();
        Assert.Equal("deliberation-layer vector-search source 2.4 0.0% 0.50 ms 1.25 ms", failing);
        Assert.Equal(6, (await browser.EvaluateAsync("document.querySelectorAll('#edges tbody tr').length"))!.GetValue<int>());
        var vectorSearch = (await browser.EvaluateAsync(
            "[...document.querySelectorAll('#services tbody tr')].map(r => r.innerText.replace(/\\s+/g, ' ')).find(t => t.startsWith('vector-search')) || ''"))!.GetValue<string>();
        Assert.Contains("100.0% 10.0 2.50 ms", vectorSearch);
        Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('#services td.low-success').length"))!.GetValue<int>());

        // live: a breaker that opens after the page loaded appears through the event stream, without a reload
        await Report(host, "audit-ledger", "audit-ledger-local", """{"clusters":[{"name":"vector-search","state":"open"}]}""");
        await browser.WaitForAsync("document.querySelectorAll('#services td.open-breakers').length === 2");
        var shot = Path.Combine(AppContext.BaseDirectory, "status-page.png");
        await File.WriteAllBytesAsync(shot, await browser.ScreenshotAsync());
        Assert.True(new FileInfo(shot).Length > 10_000, "the screenshot " + shot + " is empty");
        foreach (var watch in watches)
        {
            await watch.DisposeAsync();
        }
    }

    [Fact]
    public async Task Page_ReadsNeedATokenAndNoneGiven_AsksForItAndShowsNothing()
    {
        await using var host = await ControlPlaneHost.StartEmbeddedAsync(ControlPlaneHost.NewDataDirectory(),
            extra: new Dictionary<string, string?> { ["ACGS_API_READS"] = "token" });
        using var stream = await host.Client.GetAsync(new Uri("/api/v1/status/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, stream.StatusCode);

        await using var browser = await HeadlessChromium.StartAsync();
        await browser.NavigateAsync(host.Address);
        await browser.WaitForAsync("!document.getElementById('token-form').hidden");

        Assert.Equal("○ token needed", (await browser.EvaluateAsync("document.getElementById('live').textContent"))!.GetValue<string>());
        Assert.Equal("connecting…", (await browser.EvaluateAsync("document.getElementById('mesh-status').textContent"))!.GetValue<string>());
    }

    private static async Task<string> PushedVersionAsync(ControlPlaneHost host, string service)
    {
        using var admin = host.AdminClient();
        var sidecars = JsonNode.Parse(await admin.GetStringAsync(new Uri("/api/v1/discovery/sidecars", UriKind.Relative)))!.AsArray();
        return sidecars.Single(w => w!["service_name"]!.GetValue<string>() == service)!["pushed_version"]!.GetValue<string>();
    }

    private static async Task<WatchConnection> Watch(ControlPlaneHost host, string service, string node, int port)
    {
        var client = new HttpClient { BaseAddress = host.Address, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        return await WatchConnection.OpenAsync(client, service, node, "127.0.0.1:" + port);
    }

    private static async Task Ack(ControlPlaneHost host, string service, string node, JsonObject snapshot)
    {
        var ack = new JsonObject
        {
            ["service_name"] = service,
            ["node_id"] = node,
            ["version"] = snapshot["version"]!.GetValue<string>(),
            ["nonce"] = snapshot["nonce"]!.GetValue<string>(),
            ["accepted"] = true,
            ["errors"] = new JsonArray(),
        };
        await Send(host, HttpMethod.Post, "/api/v1/discovery/ack", ack.ToJsonString());
    }

    private static Task Report(ControlPlaneHost host, string service, string node, string body) =>
        Send(host, HttpMethod.Put, $"/api/v1/health/{service}/{node}", body);

    private static async Task Send(ControlPlaneHost host, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SidecarToken);
        using var response = await host.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
