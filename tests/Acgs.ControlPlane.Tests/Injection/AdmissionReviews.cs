// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>AdmissionReview v1 request bodies for the webhook tests.</summary>
internal static class AdmissionReviews
{
    public static JsonObject Pod(string? annotation = null, bool hostNetwork = false) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["generateName"] = "web-",
            ["labels"] = new JsonObject { ["app"] = "web" },
            ["annotations"] = annotation is null ? null : new JsonObject { ["acgs.io/inject"] = annotation },
        },
        ["spec"] = new JsonObject
        {
            ["hostNetwork"] = hostNetwork,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "web",
                ["image"] = "example/web:1",
                ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080 }),
            }),
        },
    };

    public static JsonObject Review(JsonNode? pod, string uid = "705ab4f5-6393-11e8-b7cc-42010a800002", string ns = "shop", string operation = "CREATE") => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = ns,
            ["operation"] = operation,
            ["object"] = pod,
        },
    };
}
