// Constitutional Hash: cdd01ef066bc6cf2

using k8s;
using k8s.Models;

namespace Acgs.Injection.Tests.PodSecurity;

/// <summary>The Pod Security levels of injected pods: iptables mode fails baseline (NET_ADMIN, NET_RAW); <c>acgs.io/redirect: "none"</c> keeps a restricted pod restricted.</summary>
public sealed class PodSecurityTests
{
    private static (V1Namespace Namespace, V1Pod Pod) Load(string name)
    {
        var objects = KubernetesYaml.LoadAllFromString(GoldenFiles.Read(name + ".input.yaml"));
        return ((V1Namespace)objects[0], (V1Pod)objects[1]);
    }

    private static V1Pod Inject(V1Pod pod, V1Namespace ns)
    {
        var (result, injected) = new PodPatchBuilder(new InjectionOptions()).Inject(pod, ns.Metadata.Name, new Dictionary<string, string>(ns.Metadata.Labels));
        Assert.True(result.Decision.Inject, result.Decision.Reason);
        return injected;
    }

    [Fact]
    public void Violations_CheckerCases_EachLevelRefusesWhatItShould()
    {
        var (_, restricted) = Load("redirect-none");
        var netAdmin = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(restricted));
        netAdmin.Spec.Containers[0].SecurityContext.Capabilities.Add = ["NET_ADMIN"];
        var root = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(restricted));
        root.Spec.SecurityContext.RunAsNonRoot = null;
        root.Spec.Containers[0].SecurityContext.RunAsUser = 0;
        var hostPath = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(restricted));
        hostPath.Spec.Volumes = [new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = "/" } }];

        Assert.Equal(PodSecurityLevel.Restricted, PodSecurityStandard.Level(restricted));
        Assert.Equal(["orders: capability NET_ADMIN added", "orders: capability NET_ADMIN added (restricted)"], PodSecurityStandard.Violations(netAdmin, PodSecurityLevel.Restricted));
        Assert.Equal(PodSecurityLevel.Privileged, PodSecurityStandard.Level(netAdmin));
        Assert.Equal(["orders: runAsNonRoot != true", "orders: runAsUser 0"], PodSecurityStandard.Violations(root, PodSecurityLevel.Restricted));
        Assert.Equal(PodSecurityLevel.Baseline, PodSecurityStandard.Level(root));
        Assert.Equal(PodSecurityLevel.Privileged, PodSecurityStandard.Level(hostPath));
    }

    [Fact]
    public void Inject_RedirectNoneOnRestrictedPod_InjectedPodMeetsRestricted()
    {
        var (ns, pod) = Load("redirect-none");

        var injected = Inject(pod, ns);

        Assert.Empty(PodSecurityStandard.Violations(injected, PodSecurityLevel.Restricted));
        Assert.Equal(["acgs-sidecar"], injected.Spec.InitContainers.Select(static c => c.Name));
        Assert.DoesNotContain(injected.Spec.InitContainers.Concat(injected.Spec.Containers), static c => c.SecurityContext?.Capabilities?.Add is { Count: > 0 });
        var env = injected.Spec.Containers[0].Env.ToDictionary(static e => e.Name, static e => e.Value);
        Assert.Equal("http://127.0.0.1:15001", env["HTTP_PROXY"]);
        Assert.Equal("http://127.0.0.1:15001", env["http_proxy"]);
        Assert.Equal("localhost,127.0.0.1,::1", env["NO_PROXY"]);
        Assert.Equal("info", env["LOG_LEVEL"]);
    }

    [Fact]
    public void Inject_IptablesModeOnRestrictedPod_FailsBaselineOnlyThroughTheInitContainer()
    {
        var (ns, pod) = Load("redirect-none");
        pod.Metadata.Annotations.Remove("acgs.io/redirect");

        var injected = Inject(pod, ns);

        Assert.Equal(PodSecurityLevel.Privileged, PodSecurityStandard.Level(injected));
        Assert.Equal(["acgs-init: capability NET_ADMIN added", "acgs-init: capability NET_RAW added"], PodSecurityStandard.Violations(injected, PodSecurityLevel.Baseline));
        Assert.All(PodSecurityStandard.Violations(injected, PodSecurityLevel.Restricted), static v => Assert.StartsWith("acgs-init: ", v, StringComparison.Ordinal));
        Assert.DoesNotContain(injected.Spec.Containers[0].Env, static e => e.Name == "HTTP_PROXY");
    }

    [Fact]
    public void Inject_AnyPod_SidecarContainerItselfMeetsRestricted()
    {
        var (ns, pod) = Load("plain");
        pod.Metadata.Annotations = new Dictionary<string, string> { ["acgs.io/redirect"] = "none" };

        var injected = Inject(pod, ns);

        Assert.DoesNotContain(PodSecurityStandard.Violations(injected, PodSecurityLevel.Restricted), static v => v.StartsWith("acgs-", StringComparison.Ordinal));
        Assert.Contains(PodSecurityStandard.Violations(injected, PodSecurityLevel.Restricted), static v => v.StartsWith("web: ", StringComparison.Ordinal));
    }
}
