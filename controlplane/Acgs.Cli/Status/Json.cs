// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Acgs.Cli.Status;

/// <summary>Tolerant reads of the control plane's JSON for display.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? Text(JsonNode? node, string name) => node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string Number(JsonNode? node, string name, string format = "0.###") =>
        node?[name] is JsonValue value && value.TryGetValue<double>(out var number) ? number.ToString(format, CultureInfo.InvariantCulture) : "-";

    public static bool Flag(JsonNode? node, string name) => node?[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static int Count(JsonNode? node, string name) => node?[name] is JsonValue value && value.TryGetValue<int>(out var count) ? count : 0;

    public static JsonArray Array(JsonNode? node, string? name = null) =>
        (name is null ? node : node?[name]) as JsonArray ?? [];

    public static string Write(JsonNode? node) => node?.ToJsonString(Indented) ?? "null";
}
