// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Acgs.Injection;

/// <summary>
/// Decides whether a pod gets the sidecar and builds the RFC 6902 JSONPatch that adds it: the iptables
/// init container and the native sidecar at the front of <c>spec.initContainers</c> (so the pod's own init
/// containers already run behind the proxy), the sidecar's run volume and the <c>acgs.io/status</c> annotation.
/// Shared by the admission webhook and <c>acgsctl inject</c>. Thread-safe; holds only its options.
/// </summary>
public sealed class PodPatchBuilder
{
    private readonly InjectionOptions options;

    /// <summary>Creates a builder; throws <see cref="ArgumentException"/> listing every problem when <paramref name="options"/> are invalid.</summary>
    public PodPatchBuilder(InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid injection options: " + string.Join("; ", errors), nameof(options));
        }

        this.options = options;
    }

    /// <summary>The settings this builder injects with.</summary>
    public InjectionOptions Options => options;

    /// <summary>Decides and, when the pod is to be injected, builds the patch.</summary>
    /// <param name="pod">The pod as submitted.</param>
    /// <param name="namespaceName">Its namespace (the AdmissionReview's <c>request.namespace</c>); null = <c>metadata.namespace</c>.</param>
    /// <param name="namespaceLabels">The namespace's labels; null when unknown.</param>
    public InjectionResult Build(V1Pod pod, string? namespaceName, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var decision = InjectionPolicy.Decide(pod, namespaceName, namespaceLabels, options);
        if (!decision.Inject)
        {
            return new InjectionResult(decision, []);
        }

        var init = ToNode(SidecarTemplate.InitContainer(options));
        var sidecar = ToNode(SidecarTemplate.Sidecar(pod, options));
        var volume = ToNode(SidecarTemplate.RunVolume());
        var patch = new List<JsonPatchOperation>(5);
        if (pod.Spec.InitContainers is not { Count: > 0 })
        {
            patch.Add(new JsonPatchOperation("add", "/spec/initContainers", new JsonArray(init, sidecar)));
        }
        else
        {
            // In front of the pod's own init containers: their traffic is redirected too, so the proxy must run first.
            patch.Add(new JsonPatchOperation("add", "/spec/initContainers/0", init));
            patch.Add(new JsonPatchOperation("add", "/spec/initContainers/1", sidecar));
        }

        patch.Add(pod.Spec.Volumes is not { Count: > 0 }
            ? new JsonPatchOperation("add", "/spec/volumes", new JsonArray(volume))
            : new JsonPatchOperation("add", "/spec/volumes/-", volume));

        var status = StatusAnnotation();
        patch.Add(pod.Metadata?.Annotations is not { Count: > 0 }
            ? new JsonPatchOperation("add", pod.Metadata is null ? "/metadata" : "/metadata/annotations",
                pod.Metadata is null
                    ? new JsonObject { ["annotations"] = new JsonObject { [InjectionLabels.Status] = status } }
                    : new JsonObject { [InjectionLabels.Status] = status })
            : new JsonPatchOperation("add", "/metadata/annotations/" + JsonPatchOperation.EscapeSegment(InjectionLabels.Status), status));
        return new InjectionResult(decision, patch);
    }

    /// <summary>
    /// <see cref="Build"/> for a pod given as JSON (an AdmissionReview's <c>request.object</c>).
    /// Throws <see cref="JsonException"/> when the JSON is not a pod object.
    /// </summary>
    public InjectionResult BuildFromJson(string podJson, string? namespaceName, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        ArgumentNullException.ThrowIfNull(podJson);
        var pod = KubernetesJson.Deserialize<V1Pod>(podJson) ?? throw new JsonException("the pod is JSON null");
        return Build(pod, namespaceName, namespaceLabels);
    }

    /// <summary>
    /// Builds the patch and applies it, returning the injected pod (a copy) — or the pod unchanged
    /// (the same instance) when it is not injected. <c>acgsctl</c> uses this.
    /// </summary>
    public (InjectionResult Result, V1Pod Pod) Inject(V1Pod pod, string? namespaceName, IReadOnlyDictionary<string, string>? namespaceLabels)
    {
        var result = Build(pod, namespaceName, namespaceLabels);
        if (!result.Decision.Inject)
        {
            return (result, pod);
        }

        var document = JsonNode.Parse(KubernetesJson.Serialize(pod))
            ?? throw new InvalidOperationException("the pod serialised to JSON null");
        JsonPatch.Apply(document, result.Patch);
        var injected = KubernetesJson.Deserialize<V1Pod>(document.ToJsonString());
        return (result, injected);
    }

    /// <summary>The value of <c>acgs.io/status</c>: what was injected, so a later tool can find and remove it.</summary>
    internal static string StatusAnnotation() =>
        "{\"version\":\"" + InjectorVersion + "\",\"initContainers\":[\"" + InjectionLabels.InitContainerName + "\",\"" + InjectionLabels.SidecarContainerName
        + "\"],\"volumes\":[\"" + InjectionLabels.RunVolumeName + "\"]}";

    /// <summary>The injector's version as written in the status annotation.</summary>
    internal const string InjectorVersion = "1";

    private static JsonNode ToNode(object value) =>
        JsonNode.Parse(KubernetesJson.Serialize(value)) ?? throw new InvalidOperationException("serialised to JSON null");
}
