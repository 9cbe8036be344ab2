// Constitutional Hash: cdd01ef066bc6cf2

using System.Net.Http.Headers;
using System.Text;
using Acgs.Cli.Tests.Operations;

namespace Acgs.Cli.Tests.Metering;

/// <summary><c>acgsctl metering top</c> against the real control plane, after a sidecar's batch (its shared token): requests and bus messages per caller.</summary>
public sealed class MeteringTopTests : IClassFixture<ControlPlaneProcess>
{
    private readonly ControlPlaneProcess _cp;

    public MeteringTopTests(ControlPlaneProcess cp) => _cp = cp;

    [Fact]
    public async Task Top_AfterABatch_CallersLargestFirstWithRequestsAndMessagesApart()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds();
        var batch = $$"""
            {"windows":[{"id":"ledger/n1/{{start}}/0","service":"ledger","node":"n1","start_unix_ms":{{start}},"end_unix_ms":{{start + 10_000}},
              "rows":[{"kind":"http","source":"search","operation":"/api","tenant":"-","status_class":2,"count":7,"request_bytes":0,"response_bytes":70,"duration_us":14000},
                      {"kind":"bus","source":"search","operation":"agent-x","tenant":"-","status_class":2,"count":3,"request_bytes":90,"response_bytes":0,"duration_us":0},
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
        Assert.Equal(["SERVICE", "CALLER", "REQUESTS", "MESSAGES", "REQ", "BYTES", "RESP", "BYTES", "MEAN", "MS"], Cells(lines[0]));
        Assert.Equal(["ledger", "planner", "30", "0", "0", "300", "1"], Cells(lines[1]));
        Assert.Equal(["ledger", "search", "7", "3", "90", "70", "2"], Cells(lines[2])); // mean of the requests: 14000 us / 7 = 2 ms
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
