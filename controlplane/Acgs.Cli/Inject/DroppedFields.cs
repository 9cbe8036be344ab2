// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using k8s;
using YamlDotNet.RepresentationModel;

namespace Acgs.Cli.Inject;

/// <summary>
/// Finds the fields of a YAML document that the Kubernetes object model does not know (they are lost when an
/// injected document is re-serialised), so acgsctl can name them instead of dropping them silently.
/// </summary>
internal static class DroppedFields
{
    /// <summary>JSON-pointer-like paths present in <paramref name="original"/> but not in <paramref name="typed"/> after a round trip.</summary>
    public static List<string> Find(YamlNode original, object typed)
    {
        var roundTrip = JsonNode.Parse(KubernetesJson.Serialize(typed));
        var missing = new List<string>();
        Walk(original, roundTrip, string.Empty, missing);
        return missing;
    }

    private static void Walk(YamlNode original, JsonNode? typed, string path, List<string> missing)
    {
        switch (original)
        {
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    var name = (key as YamlScalarNode)?.Value ?? "?";
                    var childPath = path + "/" + name;
                    if (typed is JsonObject obj && obj.TryGetPropertyValue(name, out var child))
                    {
                        Walk(value, child, childPath, missing);
                    }
                    else if (!IsEmpty(value))
                    {
                        missing.Add(childPath);
                    }
                }

                break;
            case YamlSequenceNode sequence when typed is JsonArray array:
                for (var i = 0; i < sequence.Children.Count && i < array.Count; i++)
                {
                    Walk(sequence.Children[i], array[i], path + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), missing);
                }

                break;
        }
    }

    // Nulls and empty collections serialise to nothing in the model without losing anything.
    private static bool IsEmpty(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null",
        YamlMappingNode mapping => mapping.Children.Count == 0,
        YamlSequenceNode sequence => sequence.Children.Count == 0,
        _ => false,
    };
}
