// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Acgs.Injection;

/// <summary>
/// The patch operations on the app's own containers: their rewritten HTTP probes (<see cref="ProbeRewriter"/>) and,
/// without the iptables redirect, the proxy variables that send their HTTP calls to the sidecar's outbound listener.
/// Every operation is an RFC 6902 <c>add</c> (which replaces an existing member).
/// </summary>
internal static class AppContainerPatches
{
    /// <summary>The app's HTTP proxy under <c>acgs.io/redirect: "none"</c>: the sidecar's outbound listener.</summary>
    public static readonly string ProxyUrl = "http://127.0.0.1:" + SidecarPorts.Outbound.ToString(CultureInfo.InvariantCulture);

    /// <summary>Hosts the app reaches directly, not through the proxy (its own pod).</summary>
    public const string NoProxy = "localhost,127.0.0.1,::1";

    /// <summary>Appends the operations for <paramref name="pod"/>'s containers to <paramref name="patch"/>.</summary>
    public static void Add(List<JsonPatchOperation> patch, V1Pod pod, List<(int Container, string Field, V1Probe Probe)> probes, bool redirect)
    {
        foreach (var (container, field, probe) in probes)
        {
            patch.Add(new JsonPatchOperation("add", Container(container) + "/" + field, JsonNode.Parse(KubernetesJson.Serialize(probe))));
        }

        if (redirect)
        {
            return;
        }

        var containers = pod.Spec.Containers ?? [];
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i] is null)
            {
                continue; // a null entry stays as it is (the API server refuses such a pod anyway)
            }

            var env = containers[i].Env;
            (string Name, string Value)[] proxy =
            [
                ("HTTP_PROXY", ProxyUrl), ("http_proxy", ProxyUrl), ("NO_PROXY", NoProxy), ("no_proxy", NoProxy),
            ];
            if (env is not { Count: > 0 })
            {
                var array = new JsonArray();
                foreach (var (name, value) in proxy)
                {
                    array.Add(new JsonObject { ["name"] = name, ["value"] = value });
                }

                patch.Add(new JsonPatchOperation("add", Container(i) + "/env", array));
                continue;
            }

            foreach (var (name, value) in proxy)
            {
                if (!Declares(env, name))
                {
                    patch.Add(new JsonPatchOperation("add", Container(i) + "/env/-", new JsonObject { ["name"] = name, ["value"] = value }));
                }
            }
        }
    }

    private static bool Declares(IList<V1EnvVar> env, string name)
    {
        foreach (var variable in env)
        {
            if (variable is not null && string.Equals(variable.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Container(int index) => "/spec/containers/" + index.ToString(CultureInfo.InvariantCulture);
}
