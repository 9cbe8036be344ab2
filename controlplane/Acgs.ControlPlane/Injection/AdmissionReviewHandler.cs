// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Injection;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Injection;

/// <summary>
/// Turns an AdmissionReview v1 request into the AdmissionReview v1 response: <c>response.uid</c> echoed,
/// <c>allowed: true</c> always (injection never blocks a pod), and when the pod is injected
/// <c>patchType: JSONPatch</c> with the base64 patch. A review that is not valid JSON, not
/// <c>admission.k8s.io/v1</c>, lacks a uid or a Pod object gets a precise error instead (answered 400).
/// </summary>
internal sealed class AdmissionReviewHandler
{
    /// <summary>The namespace labels assumed by <c>/inject/namespace-enabled</c> (the webhook's namespaceSelector matched them).</summary>
    public static readonly IReadOnlyDictionary<string, string> EnabledNamespace =
        new Dictionary<string, string>(StringComparer.Ordinal) { [InjectionLabels.Inject] = InjectionLabels.NamespaceEnabled };

    private const string ApiVersion = "admission.k8s.io/v1";
    private readonly PodPatchBuilder builder;
    private readonly ILogger logger;

    public AdmissionReviewHandler(PodPatchBuilder builder, ILogger<AdmissionReviewHandler> logger)
    {
        this.builder = builder;
        this.logger = logger;
    }

    /// <summary>Handles one review body.</summary>
    /// <param name="body">The request body (UTF-8 JSON).</param>
    /// <param name="namespaceEnabled">True on <c>/inject/namespace-enabled</c>: the namespace carries <c>acgs.io/inject=enabled</c>.</param>
    public AdmissionOutcome Handle(ReadOnlyMemory<byte> body, bool namespaceEnabled)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException e)
        {
            return Refuse("the body is not JSON: " + e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Refuse("the body must be a JSON object (an AdmissionReview), got " + root.ValueKind);
            }

            if (String(root, "apiVersion") is not ApiVersion)
            {
                return Refuse("apiVersion must be '" + ApiVersion + "', got " + Describe(root, "apiVersion"));
            }

            if (String(root, "kind") is not "AdmissionReview")
            {
                return Refuse("kind must be 'AdmissionReview', got " + Describe(root, "kind"));
            }

            if (!root.TryGetProperty("request", out var request) || request.ValueKind != JsonValueKind.Object)
            {
                return Refuse("request is missing or not an object");
            }

            if (String(request, "uid") is not { Length: > 0 } uid)
            {
                return Refuse("request.uid is missing, empty or not a string");
            }

            var kind = request.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.Object ? k : default;
            var group = kind.ValueKind == JsonValueKind.Object ? String(kind, "group") ?? string.Empty : null;
            var version = kind.ValueKind == JsonValueKind.Object ? String(kind, "version") : null;
            var kindName = kind.ValueKind == JsonValueKind.Object ? String(kind, "kind") : null;
            if (group is not "" || version is not "v1" || kindName is not "Pod")
            {
                return Refuse("request.kind must be the core v1 Pod (group \"\", version \"v1\", kind \"Pod\"), got "
                    + (kind.ValueKind == JsonValueKind.Object ? Truncate(kind.GetRawText()) : "none") + "; the webhook's rules must select pods only");
            }

            var operation = String(request, "operation");
            if (operation is not null and not "CREATE")
            {
                return Allow(uid, null, "skipped");
            }

            if (!request.TryGetProperty("object", out var pod) || pod.ValueKind != JsonValueKind.Object)
            {
                return Refuse("request.object is missing or not an object (the Pod)");
            }

            var ns = String(request, "namespace");
            InjectionResult result;
            try
            {
                result = builder.BuildFromJson(pod.GetRawText(), ns, namespaceEnabled ? EnabledNamespace : null);
            }
            catch (JsonException e)
            {
                return Refuse("request.object is not a valid Pod: " + e.Message);
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                var name = pod.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                    ? String(metadata, "name") ?? String(metadata, "generateName") ?? "?" : "?";
                InjectionLog.Reviewed(logger, uid, name, ns ?? "?", result.Decision.Reason);
            }

            return result.Decision.Inject ? Allow(uid, result.PatchJson(), "injected") : Allow(uid, null, "skipped");
        }
    }

    private AdmissionOutcome Refuse(string error)
    {
        InjectionLog.Malformed(logger, error);
        return AdmissionOutcome.Malformed(error);
    }

    private static AdmissionOutcome Allow(string uid, byte[]? patch, string result)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", ApiVersion);
            writer.WriteString("kind", "AdmissionReview");
            writer.WriteStartObject("response");
            writer.WriteString("uid", uid);
            writer.WriteBoolean("allowed", true);
            if (patch is not null)
            {
                writer.WriteString("patchType", "JSONPatch");
                writer.WriteBase64String("patch", patch);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return new AdmissionOutcome(buffer.ToArray(), null, result);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? (value.ValueKind == JsonValueKind.String ? "'" + Truncate(value.GetString()!) + "'" : value.ValueKind.ToString()) : "nothing";

    private static string Truncate(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 120), "...");
}
