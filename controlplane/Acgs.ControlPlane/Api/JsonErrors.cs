// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;

namespace Acgs.ControlPlane.Api;

/// <summary>
/// One wording for a request body that cannot be read, whichever API it reaches: the JSON path and what is wrong with it
/// (<c>body: $.steps[0].weight: wrong type or value</c>, <c>body: $.bogus: unknown field</c>,
/// <c>body: not valid JSON (line 1, byte 3)</c>), never a .NET type name or the serializer's own message.
/// </summary>
internal static class JsonErrors
{
    /// <summary>The problem line for <paramref name="exception"/>.</summary>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"body: {path}: unknown field";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal) || message.Contains("missing required properties", StringComparison.Ordinal))
        {
            return $"body: {path}: wrong type or value";
        }

        return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $"body: not valid JSON (line {line + 1}, byte {position})"
            : "body: not valid JSON";
    }
}
