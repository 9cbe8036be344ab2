// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Text;
using Acgs.Cli.Tests.Operations;

namespace Acgs.Cli.Tests.Metering;

/// <summary><c>acgsctl metering top</c> against the real control plane, after a sidecar's batch (its shared token).</summary>
public sealed class MeteringTopTests : IClassFixture<ControlPlaneProcess>
{
    private readonly ControlPlaneProcess _cp;

    public MeteringTopTests(ControlPlaneProcess cp) => _cp = cp;

    [Fact]
    public async Task Top_AfterABatch_CallersLargestFirst()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var batch = $$"""
            {"windows":[{"id":"ledger/n1/{{start}}/0","service":"ledger","node":"n1","start_unix_ms":{{start}},"end_unix_ms":{{start + 10_000}},
              "rows":[{"kind":"http","source":"search","operation":"/api","tenant":"-","status_class":2,"count":7,"request_bytes":0,"response_bytes":70,"duration_us":14000},
                      {"kind":"http","source":"planner","operation":"/api","tenant":"-","status_class":2,"count":30,"request_bytes":0,"response_bytes":300,"duration_us":30000}]}]}
            """;
        using (var client = new HttpClient { BaseAddress = _cp.Url })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ControlPlaneProcess.SidecarToken);
            using var posted = await client.PostAsync("api/v1/metering/windows", new StringContent(batch, Encoding.UTF8, "application/json"));
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        var run = CliRun.Invoke(["metering", "top", "--service", "ledger"], environment: new Dictionary<string, string>
        {
            ["ACGS_CONTROL_PLANE_URL"] = _cp.Url.ToString(),
            ["ACGS_ADMIN_TOKEN"] = ControlPlaneProcess.AdminToken,
        });

        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("SERVICE", lines[0], StringComparison.Ordinal);
        Assert.Contains("planner", lines[1], StringComparison.Ordinal);
        Assert.Contains("30", lines[1], StringComparison.Ordinal);
        Assert.Contains("search", lines[2], StringComparison.Ordinal);
        Assert.Contains("2", lines[2], StringComparison.Ordinal); // mean 14000 us / 7 = 2 ms
    }
}
