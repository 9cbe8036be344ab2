// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json;
using Acgs.Core;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;
using Microsoft.AspNetCore.Http;

namespace Acgs.Sidecar.Tests.AccessLog;

/// <summary>The access log of a built sidecar: sampled at 0, only the failed request is written, as one JSON line.</summary>
public sealed class AccessLogProcessTests : IAsyncLifetime
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _file = Path.Combine(Path.GetTempPath(), "acgs-access-" + Guid.NewGuid().ToString("N") + ".log");
    private KestrelTestServer _app = null!;
    private SidecarProcess _sidecar = null!;

    public async Task InitializeAsync()
    {
        _app = await KestrelTestServer.StartAsync(
            static context =>
            {
                context.Response.StatusCode = context.Request.Path == "/fail" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
                return context.Response.WriteAsync("done");
            },
            IPAddress.Loopback);
        _sidecar = await SidecarProcess.StartAsync(_app.Port, new Dictionary<string, string>
        {
            ["ACGS_ACCESS_LOG"] = _file,
            ["ACGS_ACCESS_LOG_SAMPLE"] = "0",
            ["ACGS_ACCESS_LOG_FORMAT"] = "json",
        });
    }

    public async Task DisposeAsync()
    {
        await _sidecar.DisposeAsync();
        await _app.DisposeAsync();
        File.Delete(_file);
    }

    [Fact]
    public async Task Request_SampleZero_OnlyTheFailedRequestLoggedWithoutItsQuery()
    {
        Assert.Equal(HttpStatusCode.OK, await SendAsync("/ok?token=secret"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync("/ok"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await SendAsync("/fail?token=secret"));

        var lines = await Eventually.ValueAsync(ReadLines, static l => l.Length >= 1);

        var line = Assert.Single(lines);
        Assert.DoesNotContain("secret", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal("/fail", root.GetProperty("path").GetString());
        Assert.Equal(503, root.GetProperty("status").GetInt32());
        Assert.Equal("inbound", root.GetProperty("listener").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("req-42", root.GetProperty("request_id").GetString());
        Assert.Equal("access-log-test", root.GetProperty("user_agent").GetString());
        Assert.Contains(_app.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("upstream_host").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("upstream_ms").GetDouble() <= root.GetProperty("duration_ms").GetDouble());
    }

    private string[] ReadLines()
    {
        if (!File.Exists(_file))
        {
            return [];
        }

        using var stream = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private async Task<HttpStatusCode> SendAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_sidecar.Inbound, path));
        request.Headers.TryAddWithoutValidation(AcgsConstants.HashHeaderName, AcgsConstants.ConstitutionalHash);
        request.Headers.TryAddWithoutValidation("x-request-id", "req-42");
        request.Headers.TryAddWithoutValidation("User-Agent", "access-log-test");
        using var response = await Client.SendAsync(request);
        return response.StatusCode;
    }
}
