// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.LoadTest.Reports;
using Acgs.LoadTest.Running;
using Acgs.LoadTest.Scenarios;
using Acgs.LoadTest.Simulations;
using Acgs.LoadTest.Thresholds;
using Xunit;

namespace Acgs.LoadTest.Tests.Reports;

public sealed class RunReportTests
{
    [Fact]
    public async Task WriteFilesAsync_Run_WritesMarkdownJsonWithHashAndHgrm()
    {
        var scenario = Scenario.Create("report", _ => ValueTask.FromResult(StepResult.Ok(200, 5)))
            .WithLoadSimulations(LoadSimulation.Inject(200, TimeSpan.FromMilliseconds(500)))
            .WithThresholds(Threshold.FailPercentAtMost(0));
        var result = await ScenarioRunner.RunAsync(scenario, new RunOptions { MaxSchedulerLagP99 = TimeSpan.FromMilliseconds(200) });
        var dir = Directory.CreateTempSubdirectory("acgs-report-").FullName;
        try
        {
            await RunReport.WriteFilesAsync(result, dir, "report");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "report.json")));
            Assert.Equal("cdd01ef066bc6cf2", json.RootElement.GetProperty("constitutional_hash").GetString());
            Assert.Equal(100, json.RootElement.GetProperty("ok").GetInt64());
            Assert.Equal(result.ExitCode, json.RootElement.GetProperty("exit_code").GetInt32());
            Assert.Equal(100, json.RootElement.GetProperty("latency_ms").GetProperty("count").GetInt64());
            Assert.Contains("| latency (corrected) |", await File.ReadAllTextAsync(Path.Combine(dir, "report.md")), StringComparison.Ordinal);
            Assert.Contains("#[Mean", await File.ReadAllTextAsync(Path.Combine(dir, "report.latency.hgrm")), StringComparison.Ordinal);
            Assert.Contains("PASS fail % <= 0 (actual 0 % (0))", RunReport.ToConsoleTable(result), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
