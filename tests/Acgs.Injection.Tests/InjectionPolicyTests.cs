// Constitutional Hash: cdd01ef066bc6cf2

using k8s.Models;

namespace Acgs.Injection.Tests;

public sealed class InjectionPolicyTests
{
    private static readonly Dictionary<string, string> Enabled = new() { ["acgs.io/inject"] = "enabled" };

    [Fact]
    public void Decide_NamespaceLabelledEnabled_Injects()
    {
        var decision = InjectionPolicy.Decide(Pod(), "shop", Enabled, new InjectionOptions());

        Assert.True(decision.Inject, decision.Reason);
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("Enabled")]
    [InlineData("true")]
    public void Decide_NamespaceLabelOtherValue_DoesNotInject(string value)
    {
        var decision = InjectionPolicy.Decide(Pod(), "shop", new Dictionary<string, string> { ["acgs.io/inject"] = value }, new InjectionOptions());

        Assert.False(decision.Inject);
        Assert.Contains("not opted in", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NamespaceLabelsUnknownAndPodAnnotatedTrue_Injects()
    {
        var decision = InjectionPolicy.Decide(Pod(annotation: "true"), "shop", null, new InjectionOptions());

        Assert.True(decision.Inject, decision.Reason);
    }

    [Fact]
    public void Decide_NoLabelNoAnnotation_DoesNotInject()
    {
        Assert.False(InjectionPolicy.Decide(Pod(), "shop", new Dictionary<string, string>(), new InjectionOptions()).Inject);
    }

    [Fact]
    public void Decide_AnnotationFalseInEnabledNamespace_OptsOut()
    {
        var decision = InjectionPolicy.Decide(Pod(annotation: "false"), "shop", Enabled, new InjectionOptions());

        Assert.False(decision.Inject);
        Assert.Contains("opts out", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AnnotationNeitherTrueNorFalse_DoesNotInjectAndSaysWhy()
    {
        var decision = InjectionPolicy.Decide(Pod(annotation: "yes"), "shop", Enabled, new InjectionOptions());

        Assert.False(decision.Inject);
        Assert.Contains("\"yes\"", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("kube-node-lease")]
    [InlineData("acgs-system")]
    public void Decide_SystemOrMeshNamespace_DoesNotInject(string ns)
    {
        var decision = InjectionPolicy.Decide(Pod(annotation: "true"), ns, Enabled, new InjectionOptions());

        Assert.False(decision.Inject);
        Assert.Contains(ns, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ConfiguredExcludedNamespace_DoesNotInject()
    {
        var options = new InjectionOptions { ExcludedNamespaces = ["monitoring"] };

        Assert.False(InjectionPolicy.Decide(Pod(annotation: "true"), "monitoring", Enabled, options).Inject);
        Assert.True(InjectionPolicy.Decide(Pod(annotation: "true"), "shop", Enabled, options).Inject);
    }

    [Fact]
    public void Decide_NamespaceArgumentMissing_UsesPodMetadataNamespace()
    {
        var pod = Pod(annotation: "true");
        pod.Metadata.NamespaceProperty = "kube-system";

        Assert.False(InjectionPolicy.Decide(pod, null, null, new InjectionOptions()).Inject);
    }

    [Fact]
    public void Decide_HostNetworkPod_DoesNotInject()
    {
        var pod = Pod(annotation: "true");
        pod.Spec.HostNetwork = true;

        var decision = InjectionPolicy.Decide(pod, "shop", Enabled, new InjectionOptions());

        Assert.False(decision.Inject);
        Assert.Contains("hostNetwork", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PodAlreadyHasSidecarContainerWithoutStatus_DoesNotInject()
    {
        var pod = Pod();
        pod.Spec.InitContainers = [new V1Container { Name = "acgs-sidecar", Image = "x" }];

        var decision = InjectionPolicy.Decide(pod, "shop", Enabled, new InjectionOptions());

        Assert.False(decision.Inject);
        Assert.Contains("already injected", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15001)]
    [InlineData(15006)]
    [InlineData(15008)]
    [InlineData(15009)]
    [InlineData(15020)]
    public void Decide_ContainerPortOfSidecar_DoesNotInject(int port)
    {
        var pod = Pod(annotation: "true");
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = port }];

        var decision = InjectionPolicy.Decide(pod, "shop", Enabled, new InjectionOptions());

        Assert.False(decision.Inject);
        Assert.Contains("container port " + port, decision.Reason, StringComparison.Ordinal);
    }

    private static V1Pod Pod(string? annotation = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            Annotations = annotation is null ? null : new Dictionary<string, string> { ["acgs.io/inject"] = annotation },
        },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "example/web" }] },
    };
}
