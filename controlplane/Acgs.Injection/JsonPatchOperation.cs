// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;

namespace Acgs.Injection;

/// <summary>One RFC 6902 operation. The builder only emits <c>add</c>.</summary>
/// <param name="Op">The operation, e.g. <c>add</c>.</param>
/// <param name="Path">An RFC 6901 JSON pointer (<c>~1</c> escapes <c>/</c>, <c>~0</c> escapes <c>~</c>).</param>
/// <param name="Value">The value to add.</param>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value)
{
    /// <summary>Escapes one pointer segment (RFC 6901: <c>~</c> → <c>~0</c>, <c>/</c> → <c>~1</c>).</summary>
    public static string EscapeSegment(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }

    /// <summary>Undoes <see cref="EscapeSegment"/>.</summary>
    public static string UnescapeSegment(string segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
