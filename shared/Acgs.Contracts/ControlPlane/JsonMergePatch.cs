// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acgs.Contracts.ControlPlane;

/// <summary>
/// JSON Merge Patch (RFC 7386) between two snapshots' JSON, for the watch stream's delta lines
/// (<see cref="WatchLines.DeltaType"/>): objects are compared member by member, anything else (arrays, strings, numbers)
/// is replaced whole when it differs, a member missing from the target is <c>null</c> in the patch. Snapshot JSON never
/// holds a <c>null</c> value (it is written without them), so applying <see cref="Create"/>'s patch to the source gives
/// the target exactly (member order aside).
/// </summary>
public static class JsonMergePatch
{
    /// <summary>Objects with more members than this are looked up through a dictionary, not by scanning.</summary>
    private const int ScanLimit = 8;

    /// <summary>
    /// Writes the patch that turns the JSON object <paramref name="source"/> into the JSON object <paramref name="target"/>
    /// (UTF-8, as one serializer wrote both) to <paramref name="output"/>: <c>{}</c> when they are equal. Values are compared by
    /// their raw bytes, so a member that is the same in both costs one comparison and nothing is built but the patch.
    /// </summary>
    public static void Create(ReadOnlyMemory<byte> source, ReadOnlyMemory<byte> target, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var from = JsonDocument.Parse(source);
        using var to = JsonDocument.Parse(target);
        if (from.RootElement.ValueKind != JsonValueKind.Object || to.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("a merge patch is made between two JSON objects");
        }

        using var writer = new Utf8JsonWriter(output);
        WriteObject(writer, from.RootElement, to.RootElement);
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement from, JsonElement to)
    {
        writer.WriteStartObject();
        var index = from.GetPropertyCount() > ScanLimit ? Index(from) : null;
        foreach (var property in to.EnumerateObject())
        {
            if (!TryGet(from, index, property.Name, out var before))
            {
                writer.WritePropertyName(property.Name);
                property.Value.WriteTo(writer);
            }
            else if (!JsonMarshal.GetRawUtf8Value(before).SequenceEqual(JsonMarshal.GetRawUtf8Value(property.Value)))
            {
                writer.WritePropertyName(property.Name);
                if (before.ValueKind == JsonValueKind.Object && property.Value.ValueKind == JsonValueKind.Object)
                {
                    WriteObject(writer, before, property.Value);
                }
                else
                {
                    property.Value.WriteTo(writer);
                }
            }
        }

        var targetIndex = to.GetPropertyCount() > ScanLimit ? Index(to) : null;
        foreach (var property in from.EnumerateObject())
        {
            if (!TryGet(to, targetIndex, property.Name, out _))
            {
                writer.WriteNull(property.Name);
            }
        }

        writer.WriteEndObject();
    }

    private static Dictionary<string, JsonElement> Index(JsonElement element)
    {
        var index = new Dictionary<string, JsonElement>(element.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            index[property.Name] = property.Value;
        }

        return index;
    }

    private static bool TryGet(JsonElement element, Dictionary<string, JsonElement>? index, string name, out JsonElement value) =>
        index is null ? element.TryGetProperty(name, out value) : index.TryGetValue(name, out value);

    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> in place (RFC 7386 section 2).</summary>
    public static void Apply(JsonObject target, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(patch);
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner)
            {
                if (target[name] is not JsonObject existing)
                {
                    existing = [];
                    target[name] = existing;
                }

                Apply(existing, inner);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
