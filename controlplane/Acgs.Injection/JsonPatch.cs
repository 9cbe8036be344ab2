// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acgs.Injection;

/// <summary>Serialises JSON patches and applies the <c>add</c> operations the builder emits (RFC 6902 section 4.1).</summary>
public static class JsonPatch
{
    /// <summary>The patch as a JSON array (UTF-8), as the AdmissionReview response carries it (base64-encoded).</summary>
    public static byte[] ToJsonBytes(IReadOnlyList<JsonPatchOperation> operations, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(operations);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            ToJsonArray(operations).WriteTo(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>The patch as a <see cref="JsonArray"/> of <c>{op, path, value}</c> objects.</summary>
    public static JsonArray ToJsonArray(IReadOnlyList<JsonPatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var array = new JsonArray();
        foreach (var operation in operations)
        {
            array.Add(new JsonObject
            {
                ["op"] = operation.Op,
                ["path"] = operation.Path,
                ["value"] = operation.Value?.DeepClone(),
            });
        }

        return array;
    }

    /// <summary>
    /// Applies <paramref name="operations"/> to <paramref name="document"/> in place. Only <c>add</c> is supported;
    /// a missing parent, an index past the end or another operation throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static void Apply(JsonNode document, IReadOnlyList<JsonPatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations)
        {
            if (!string.Equals(operation.Op, "add", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("unsupported JSON patch operation '" + operation.Op + "'");
            }

            Add(document, operation.Path, operation.Value?.DeepClone());
        }
    }

    private static void Add(JsonNode document, string path, JsonNode? value)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            throw new InvalidOperationException("JSON pointer '" + path + "' must start with '/'");
        }

        var segments = path[1..].Split('/');
        var parent = document;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            parent = Child(parent, JsonPatchOperation.UnescapeSegment(segments[i]))
                ?? throw new InvalidOperationException("JSON pointer '" + path + "': '" + segments[i] + "' does not exist");
        }

        var last = JsonPatchOperation.UnescapeSegment(segments[^1]);
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index <= array.Count:
                array.Insert(index, value);
                break;
            default:
                throw new InvalidOperationException("JSON pointer '" + path + "' does not name an object member or array position");
        }
    }

    private static JsonNode? Child(JsonNode node, string segment) => node switch
    {
        JsonObject obj => obj[segment],
        JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
        _ => null,
    };
}
