// Constitutional Hash: cdd01ef066bc6cf2

using k8s.Models;

namespace Acgs.Injection;

/// <summary>
/// The opt-in rules (docs/kubernetes.md): a pod is injected when its namespace is labelled
/// <c>acgs.io/inject=enabled</c> or the pod is annotated <c>acgs.io/inject: "true"</c>; an annotation
/// <c>"false"</c> opts it out; hostNetwork pods, system namespaces and already-injected pods are skipped.
/// </summary>
public static class InjectionPolicy
{
    /// <summary>Decides whether <paramref name="pod"/> gets the sidecar.</summary>
    /// <param name="pod">The pod (or a workload's pod template as a pod).</param>
    /// <param name="namespaceName">The pod's namespace; null = the pod's own <c>metadata.namespace</c> (unknown when both are null).</param>
    /// <param name="namespaceLabels">The namespace's labels; null = unknown (only the pod annotation can opt in).</param>
    /// <param name="options">The injection settings (excluded namespaces).</param>
    public static InjectionDecision Decide(V1Pod pod, string? namespaceName, IReadOnlyDictionary<string, string>? namespaceLabels, InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        var ns = string.IsNullOrEmpty(namespaceName) ? pod.Metadata?.NamespaceProperty : namespaceName;
        if (pod.Spec is null)
        {
            return new InjectionDecision(false, "skipped: the pod has no spec");
        }

        if (pod.Spec.HostNetwork == true)
        {
            return new InjectionDecision(false, "skipped: hostNetwork pod (its iptables rules would redirect the node's traffic)");
        }

        if (options.IsExcludedNamespace(ns))
        {
            return new InjectionDecision(false, "skipped: namespace '" + ns + "' is never injected");
        }

        if (IsInjected(pod))
        {
            return new InjectionDecision(false, "skipped: already injected");
        }

        if (CollidingPort(pod) is { } port)
        {
            return new InjectionDecision(false, "skipped: container port " + port.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + " is one of the sidecar's ports (15001, 15006, 15008, 15009, 15020)");
        }

        string? annotation = null;
        if (pod.Metadata?.Annotations is { } annotations && annotations.TryGetValue(InjectionLabels.Inject, out var value))
        {
            annotation = value?.Trim();
        }

        if (annotation is not null)
        {
            if (string.Equals(annotation, "false", StringComparison.OrdinalIgnoreCase))
            {
                return new InjectionDecision(false, "skipped: the pod opts out (acgs.io/inject: \"false\")");
            }

            if (string.Equals(annotation, "true", StringComparison.OrdinalIgnoreCase))
            {
                return new InjectionDecision(true, "injected: the pod opts in (acgs.io/inject: \"true\")");
            }

            return new InjectionDecision(false, "skipped: annotation acgs.io/inject must be \"true\" or \"false\", got \"" + annotation + "\"");
        }

        if (namespaceLabels is not null
            && namespaceLabels.TryGetValue(InjectionLabels.Inject, out var label)
            && string.Equals(label, InjectionLabels.NamespaceEnabled, StringComparison.Ordinal))
        {
            return new InjectionDecision(true, "injected: namespace '" + ns + "' is labelled acgs.io/inject=enabled");
        }

        return new InjectionDecision(false, "skipped: not opted in (no acgs.io/inject=enabled namespace label, no acgs.io/inject: \"true\" annotation)");
    }

    /// <summary>True when the pod carries the status annotation or already has a container named like ours.</summary>
    public static bool IsInjected(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (pod.Metadata?.Annotations?.ContainsKey(InjectionLabels.Status) == true)
        {
            return true;
        }

        return HasOurContainer(pod.Spec?.InitContainers) || HasOurContainer(pod.Spec?.Containers);
    }

    private static int? CollidingPort(V1Pod pod)
    {
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            foreach (var port in container?.Ports ?? [])
            {
                if (port?.ContainerPort is SidecarPorts.Inbound or SidecarPorts.Outbound or SidecarPorts.Admin or SidecarPorts.Bus or SidecarPorts.BusHttp)
                {
                    return port.ContainerPort;
                }
            }
        }

        return null;
    }

    private static bool HasOurContainer(IList<V1Container>? containers)
    {
        if (containers is null)
        {
            return false;
        }

        foreach (var container in containers)
        {
            if (container?.Name is InjectionLabels.SidecarContainerName or InjectionLabels.InitContainerName)
            {
                return true;
            }
        }

        return false;
    }
}
