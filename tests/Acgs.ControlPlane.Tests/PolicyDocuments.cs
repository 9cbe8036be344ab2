// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;
using Acgs.Core;

namespace Acgs.ControlPlane.Tests;

/// <summary>Policy documents (the shared contract's <c>PolicyDocument</c> JSON) for tests.</summary>
public static class PolicyDocuments
{
    public static JsonObject Document(string name, string kind, string target, JsonObject spec) => new()
    {
        ["kind"] = kind,
        ["name"] = name,
        ["target"] = target,
        ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
        ["spec"] = spec,
    };

    /// <summary>A valid circuit-breaker policy.</summary>
    public static JsonObject Breaker(string name, string target = "mesh", int failMax = 3) =>
        Document(name, "CircuitBreaker", target, new JsonObject { ["fail_max"] = failMax, ["reset_timeout_seconds"] = 15, ["failure_statuses"] = new JsonArray(502, 503) });

    /// <summary>A hash that is well-formed but not the accepted one, built at runtime.</summary>
    public static string OtherHash() => new string(AcgsConstants.ConstitutionalHash.Reverse().ToArray());

    public static JsonObject VersionBody(string version, JsonNode? content) => new() { ["version"] = version, ["content"] = content };
}
