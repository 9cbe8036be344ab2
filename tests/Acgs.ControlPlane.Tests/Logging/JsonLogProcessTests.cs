// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Acgs.Testing;

namespace Acgs.ControlPlane.Tests.Logging;

/// <summary>The built control plane's console log: ACGS_LOG_FORMAT=json gives one JSON object per stdout line; a bad value refuses to start.</summary>
public sealed class JsonLogProcessTests
{
    [Fact]
    public async Task Start_JsonFormat_EveryStdoutLineIsOneJsonObject()
    {
        var data = Directory.CreateTempSubdirectory("acgs-cp-log-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"));
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("ACGS_", StringComparison.Ordinal) || name.StartsWith("REDIS_", StringComparison.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["ACGS_CONTROL_PLANE_PORT"] = FreePort.Get().ToString(CultureInfo.InvariantCulture);
        start.Environment["ACGS_CONTROL_PLANE_BIND"] = "127.0.0.1";
        start.Environment["ACGS_DATA_DIR"] = data;
        start.Environment["ACGS_LOG_FORMAT"] = "json";
        var lines = new List<string>();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // The host's "Now listening on" (Microsoft.Hosting.Lifetime, Information) is the line waited for.
            await Eventually.TrueAsync(() => Task.FromResult(Snapshot(lines).Any(static l => l.Contains("Now listening on", StringComparison.Ordinal))), "the control plane logs that it listens");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }

        var all = Snapshot(lines);
        Assert.NotEmpty(all);
        foreach (var line in all)
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            Assert.EndsWith("Z", root.GetProperty("timestamp").GetString()!, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("level").GetString()));
            Assert.False(string.IsNullOrEmpty(root.GetProperty("category").GetString()));
            Assert.Equal(JsonValueKind.Number, root.GetProperty("event_id").ValueKind);
            Assert.Equal(JsonValueKind.String, root.GetProperty("message").ValueKind);
        }
    }

    [Fact]
    public async Task Start_InvalidLogFormat_ExitCode2AndOneLine()
    {
        var (exitCode, stdout, stderr) = await BuiltProgram.RunAsync(
            BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"),
            new Dictionary<string, string> { ["ACGS_LOG_FORMAT"] = "xml" },
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Equal(["acgs-control-plane: ACGS_LOG_FORMAT: must be text or json (got 'xml')"], stderr);
        Assert.Empty(stdout);
    }

    private static List<string> Snapshot(List<string> lines)
    {
        lock (lines)
        {
            return [.. lines];
        }
    }
}
