// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Acgs.Injection;

/// <summary>
/// Decides whether a pod gets the sidecar and builds the RFC 6902 JSONPatch that adds it: the iptables
/// init container (unless <c>acgs.io/redirect: "none"</c>) and the native sidecar at the front of <c>spec.initContainers</c>
/// (so the pod's own init containers already run behind the proxy), the app containers' HTTP probes moved behind the sidecar's
/// admin port (and, without the redirect, their <c>HTTP_PROXY</c>), the sidecar's run and identity-token volumes, the
/// <c>acgs.io/status</c> annotation and the Prometheus scrape annotations.
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

        var redirect = !IsRedirectNone(pod);
        var (probes, targets) = ProbeRewriter.Rewrite(pod);
        var sidecar = ToNode(SidecarTemplate.Sidecar(pod, options, targets.Count == 0 ? null : ProbeRewriter.Serialize(targets)));
        var patch = new List<JsonPatchOperation>(12);
        JsonNode[] injected = redirect ? [ToNode(SidecarTemplate.InitContainer(options)), sidecar] : [sidecar];
        if (pod.Spec.InitContainers is not { Count: > 0 })
        {
            patch.Add(new JsonPatchOperation("add", "/spec/initContainers", new JsonArray(injected)));
        }
        else
        {
            // In front of the pod's own init containers: their traffic is redirected too, so the proxy must run first.
            for (var i = 0; i < injected.Length; i++)
            {
                patch.Add(new JsonPatchOperation("add", "/spec/initContainers/" + i.ToString(CultureInfo.InvariantCulture), injected[i]));
            }
        }

        AppContainerPatches.Add(patch, pod, probes, redirect);
        JsonNode[] volumes = [ToNode(SidecarVolumes.Run()), ToNode(SidecarVolumes.Identity(options))];
        if (pod.Spec.Volumes is not { Count: > 0 })
        {
            patch.Add(new JsonPatchOperation("add", "/spec/volumes", new JsonArray(volumes)));
        }
        else
        {
            foreach (var volume in volumes)
            {
                patch.Add(new JsonPatchOperation("add", "/spec/volumes/-", volume));
            }
        }

        AddAnnotations(patch, pod, redirect);
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

    /// <summary>True when the pod is annotated <c>acgs.io/redirect: "none"</c>.</summary>
    public static bool IsRedirectNone(V1Pod pod) =>
        pod?.Metadata?.Annotations is { } annotations && annotations.TryGetValue(InjectionLabels.Redirect, out var value)
        && string.Equals(value?.Trim(), InjectionLabels.RedirectNone, StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of <c>acgs.io/status</c>: what was injected, so a later tool can find and remove it.</summary>
    internal static string StatusAnnotation(bool redirect) =>
        "{\"version\":\"" + InjectorVersion + "\",\"redirect\":\"" + (redirect ? "iptables" : InjectionLabels.RedirectNone) + "\",\"initContainers\":["
        + (redirect ? "\"" + InjectionLabels.InitContainerName + "\"," : string.Empty) + "\"" + InjectionLabels.SidecarContainerName
        + "\"],\"volumes\":[\"" + InjectionLabels.RunVolumeName + "\",\"" + InjectionLabels.IdentityVolumeName + "\"]}";

    /// <summary>The status annotation and, unless the pod sets <c>prometheus.io/scrape</c> itself, the scrape annotations of the sidecar's metrics.</summary>
    private static void AddAnnotations(List<JsonPatchOperation> patch, V1Pod pod, bool redirect)
    {
        var values = new List<(string Key, string Value)> { (InjectionLabels.Status, StatusAnnotation(redirect)) };
        var existing = pod.Metadata?.Annotations;
        if (existing?.ContainsKey(InjectionLabels.PrometheusScrape) != true)
        {
            values.Add((InjectionLabels.PrometheusScrape, "true"));
            values.Add(("prometheus.io/port", SidecarPorts.Admin.ToString(CultureInfo.InvariantCulture)));
            values.Add(("prometheus.io/path", "/metrics"));
        }

        if (existing is not { Count: > 0 })
        {
            var annotations = new JsonObject();
            foreach (var (key, value) in values)
            {
                annotations[key] = value;
            }

            patch.Add(pod.Metadata is null
                ? new JsonPatchOperation("add", "/metadata", new JsonObject { ["annotations"] = annotations })
                : new JsonPatchOperation("add", "/metadata/annotations", annotations));
            return;
        }

        foreach (var (key, value) in values)
        {
            patch.Add(new JsonPatchOperation("add", "/metadata/annotations/" + JsonPatchOperation.EscapeSegment(key), value));
        }
    }

    /// <summary>The injector's version as written in the status annotation.</summary>
    internal const string InjectorVersion = "1";

    private static JsonNode ToNode(object value) =>
        JsonNode.Parse(KubernetesJson.Serialize(value)) ?? throw new InvalidOperationException("serialised to JSON null");
}
