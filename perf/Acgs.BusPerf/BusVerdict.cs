// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;

namespace Acgs.BusPerf;

/// <summary>The bus gate's verdict as a small JSON document (one object per line and the figures).</summary>
internal static class BusVerdict
{
    public static async Task WriteAsync(string path, List<(string Name, string Status, string Detail)> lines, double perSecond, double allocPerMessage, double ownP99Us, double busP99Us, double worstCalibrationP99Us, int exitCode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("constitutional_hash", "cdd01ef066bc6cf2");
        w.WriteNumber("exit_code", exitCode);
        w.WriteStartArray("lines");
        foreach (var (name, status, detail) in lines)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("status", status);
            w.WriteString("detail", detail);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("figures");
        w.WriteNumber("throughput_msg_per_s", Math.Round(perSecond));
        w.WriteNumber("host_allocated_bytes_per_message", Math.Round(allocPerMessage, 2));
        w.WriteNumber("own_p99_us", ownP99Us);
        w.WriteNumber("end_to_end_p99_us", busP99Us);
        w.WriteNumber("calibration_worst_p99_us", worstCalibrationP99Us);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
