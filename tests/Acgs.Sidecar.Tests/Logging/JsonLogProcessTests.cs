// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Logging;

/// <summary>The built sidecar's console log: ACGS_LOG_FORMAT=json gives one JSON object per stdout line; a bad value refuses to start.</summary>
public sealed class JsonLogProcessTests
{
    [Fact]
    public async Task Start_JsonFormat_EveryStdoutLineIsOneJsonObject()
    {
        await using var app = await TestUpstream.StartAsync("app");
        await using var sidecar = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string> { ["ACGS_LOG_FORMAT"] = "json" });

        await Eventually.TrueAsync(() => Task.FromResult(sidecar.StdoutLines().Count >= 2), "the start-up lines (runtime, limits) are written");
        var lines = sidecar.StdoutLines();
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            var timestamp = root.GetProperty("timestamp").GetString()!;
            Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
            Assert.True(DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, out _), timestamp);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("level").GetString()));
            Assert.False(string.IsNullOrEmpty(root.GetProperty("category").GetString()));
            Assert.Equal(JsonValueKind.Number, root.GetProperty("event_id").ValueKind);
            Assert.Equal(JsonValueKind.String, root.GetProperty("message").ValueKind);
        }

        Assert.Contains(lines, static line => line.Contains("\"event_id\":140", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckConfig_InvalidLogFormat_ExitCode2AndOneLine()
    {
        var (exitCode, stdout, stderr) = await BuiltProgram.RunAsync(
            BuiltProgram.PathOf("dataplane/Acgs.Sidecar", "Acgs.Sidecar"),
            new Dictionary<string, string> { ["ACGS_LOG_FORMAT"] = "xml" },
            TimeSpan.FromSeconds(60),
            "--check-config");

        Assert.Equal(2, exitCode);
        Assert.Equal(["acgs-sidecar: ACGS_LOG_FORMAT: must be text or json (got 'xml')"], stderr);
        Assert.Empty(stdout);
    }
}
