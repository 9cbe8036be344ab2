// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acgs.Contracts.Config;

/// <summary>Reads and writes <see cref="ConfigSnapshot"/> JSON (snake_case keys; unknown keys are errors).</summary>
public static class ConfigSnapshotJson
{
    /// <summary>Parses a snapshot. Returns false with a readable <paramref name="error"/> (JSON path and line) when it cannot.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ConfigSnapshot? snapshot, out string? error)
    {
        try
        {
            snapshot = JsonSerializer.Deserialize(utf8, ConfigSnapshotJsonContext.Default.ConfigSnapshot);
            error = snapshot is null ? "the document is null" : null;
            snapshot = snapshot is null ? null : ConfigSnapshotDefaults.Apply(snapshot);
            return snapshot is not null;
        }
        catch (JsonException ex)
        {
            snapshot = null;
            error = Describe(ex);
            return false;
        }
    }

    /// <summary>Converts an already parsed JSON object to a snapshot (used when a file holds more than the snapshot).</summary>
    public static bool TryParse(JsonObject node, out ConfigSnapshot? snapshot, out string? error)
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            snapshot = node.Deserialize(ConfigSnapshotJsonContext.Default.ConfigSnapshot);
            error = snapshot is null ? "the document is null" : null;
            snapshot = snapshot is null ? null : ConfigSnapshotDefaults.Apply(snapshot);
            return snapshot is not null;
        }
        catch (JsonException ex)
        {
            snapshot = null;
            error = Describe(ex);
            return false;
        }
    }

    /// <summary>The snapshot as indented JSON.</summary>
    public static string Serialize(ConfigSnapshot snapshot) =>
        JsonSerializer.Serialize(snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);

    /// <summary>The snapshot as a JSON node (e.g. to embed in another document).</summary>
    public static JsonNode? ToNode(ConfigSnapshot snapshot) =>
        JsonSerializer.SerializeToNode(snapshot, ConfigSnapshotJsonContext.Default.ConfigSnapshot);

    private static string Describe(JsonException ex)
    {
        var where = ex.Path is null ? string.Empty : $" (at {ex.Path}" + (ex.LineNumber is { } line ? $", line {line + 1})" : ")");
        return "invalid JSON" + where + ": " + ex.Message;
    }
}
