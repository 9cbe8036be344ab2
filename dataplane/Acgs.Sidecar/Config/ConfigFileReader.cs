// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Nodes;
using Acgs.Contracts.Config;

namespace Acgs.Sidecar.Config;

/// <summary>
/// Reads the bootstrap file: a <see cref="ConfigSnapshot"/> JSON document that may also hold a
/// <c>sidecar</c> object with sidecar-local settings (<see cref="SidecarFileSection"/>).
/// </summary>
internal static class ConfigFileReader
{
    /// <summary>Reads and parses <paramref name="path"/>; problems are appended to <paramref name="errors"/>.</summary>
    public static bool TryRead(string path, List<string> errors, out ConfigSnapshot? snapshot, out SidecarFileSection? section)
    {
        ArgumentNullException.ThrowIfNull(errors);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.Add($"config file '{path}': cannot be read: {ex.Message}");
            snapshot = null;
            section = null;
            return false;
        }

        return TryParse(bytes, path, errors, out snapshot, out section);
    }

    /// <summary>Parses the file's bytes; problems are appended to <paramref name="errors"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, string path, List<string> errors, out ConfigSnapshot? snapshot, out SidecarFileSection? section)
    {
        ArgumentNullException.ThrowIfNull(errors);
        snapshot = null;
        section = null;
        JsonObject? root;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            root = JsonNode.Parse(ref reader, new JsonNodeOptions { PropertyNameCaseInsensitive = false }) as JsonObject;
        }
        catch (JsonException ex)
        {
            errors.Add($"config file '{path}': invalid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message}");
            return false;
        }

        if (root is null)
        {
            errors.Add($"config file '{path}': the document must be a JSON object");
            return false;
        }

        var ok = true;
        if (root.Remove("sidecar", out var sidecarNode) && sidecarNode is not null)
        {
            try
            {
                section = sidecarNode.Deserialize(SidecarJsonContext.Default.SidecarFileSection);
            }
            catch (JsonException ex)
            {
                errors.Add($"config file '{path}': sidecar: {ex.Message}");
                ok = false;
            }
        }

        if (!ConfigSnapshotJson.TryParse(root, out snapshot, out var error))
        {
            errors.Add($"config file '{path}': {error}");
            ok = false;
        }

        return ok;
    }
}
