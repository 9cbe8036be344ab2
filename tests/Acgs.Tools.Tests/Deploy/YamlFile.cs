// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Tools.Tests.HashCompliance;
using YamlDotNet.RepresentationModel;

namespace Acgs.Tools.Tests.Deploy;

/// <summary>Reads a YAML file of the repository into YamlDotNet's node model, with small accessors for the tests.</summary>
internal static class YamlFile
{
    /// <summary>The root mapping of <paramref name="relativePath"/> (from the repository root).</summary>
    public static YamlMappingNode Load(string relativePath)
    {
        using var reader = new StreamReader(Path.Combine(RepositoryRoot.Path, relativePath));
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>The child named <paramref name="key"/>, else the one of a merged mapping (<c>&lt;&lt;: *anchor</c>), or null.</summary>
    public static YamlNode? Child(this YamlNode node, string key)
    {
        if (node is not YamlMappingNode map)
        {
            return null;
        }

        if (map.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return value;
        }

        return map.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) ? merged.Child(key) : null;
    }

    /// <summary>The scalar child named <paramref name="key"/>, or null.</summary>
    public static string? Text(this YamlNode node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    /// <summary>A sequence's scalar items, or the single scalar; empty when absent.</summary>
    public static IReadOnlyList<string> Strings(this YamlNode? node) => node switch
    {
        YamlSequenceNode seq => [.. seq.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")],
        YamlScalarNode scalar => [scalar.Value ?? ""],
        _ => [],
    };

    /// <summary>The mapping's entries with scalar keys.</summary>
    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node)
        => node is YamlMappingNode map ? map.Children.Select(e => (((YamlScalarNode)e.Key).Value ?? "", e.Value)) : [];
}
