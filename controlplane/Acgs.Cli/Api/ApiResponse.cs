// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;

namespace Acgs.Cli.Api;

/// <summary>One answer of the control plane: the status code, the parsed JSON body (if any) and its Date header.</summary>
internal sealed record ApiResponse(int Status, JsonNode? Body, DateTimeOffset? Date)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The problem+json of a failed call as lines: "HTTP 422 title: detail", then one line per listed error.</summary>
    public IReadOnlyList<string> ProblemLines()
    {
        var lines = new List<string>();
        var title = Body?["title"]?.GetValue<string>();
        var detail = Body?["detail"]?.GetValue<string>();
        lines.Add($"HTTP {Status}" + (title is null ? string.Empty : " " + title) + (detail is null ? string.Empty : ": " + detail));
        if (Body?["errors"] is JsonArray errors)
        {
            foreach (var error in errors)
            {
                lines.Add("  - " + error?.ToString());
            }
        }

        return lines;
    }
}
