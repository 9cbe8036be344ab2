// Constitutional Hash: cdd01ef066bc6cf2

using System.Reflection;
using Acgs.Core.Settings;
using Acgs.Injection;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>
/// The manifests as a cluster gets them: rendered by <c>kubectl kustomize</c>, every object typed and validated by the
/// KubernetesClient models; the disruption budget, anti-affinity, network policies, identity wiring and monitors fit
/// the objects they name.
/// </summary>
public sealed class KubernetesClusterManifestsTests
{
    private static readonly KubernetesManifests Mesh = KubernetesManifests.Load();
    private static readonly KubernetesManifests Example = KubernetesManifests.Load("example");

    [KubectlFact]
    public void Kustomize_MeshAndExample_RenderTypedValidObjectsOnePerParsedObject()
    {
        foreach (var (relative, parsed) in new[] { (".", Mesh), ("example", Example) })
        {
            var rendered = KubernetesYaml.LoadAllFromString(Kubectl.Kustomize(Path.Combine(KubernetesManifests.Root, relative)));

            Assert.Equal(parsed.Objects.Count, rendered.Count);
            foreach (var o in rendered)
            {
                Assert.StartsWith("k8s.Models.V1", o.GetType().FullName, StringComparison.Ordinal);
                var kubernetesObject = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o);
                Assert.False(string.IsNullOrEmpty(kubernetesObject.ApiVersion) || string.IsNullOrEmpty(kubernetesObject.Kind) || string.IsNullOrEmpty(kubernetesObject.Metadata?.Name), o.GetType().Name);
                o.GetType().GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)?.Invoke(o, null); // required fields
            }

            if (relative == ".")
            {
                Assert.All(rendered.Cast<IKubernetesObject<V1ObjectMeta>>(), static o => Assert.Equal("acgs-mesh", o.Metadata.Labels["app.kubernetes.io/part-of"]));
            }
        }
    }

    [KubectlFact]
    public void Kustomize_Monitors_SelectTheControlPlaneServiceAndTheInjectedAdminPort()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Kubectl.Kustomize(Path.Combine(KubernetesManifests.Root, "monitoring"))));
        var documents = stream.Documents.Select(static d => (YamlMappingNode)d.RootNode).ToDictionary(static d => Scalar(d, "kind"));
        var service = Mesh.Single<V1Service>("acgs-control-plane");
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "web" }] } };
        var injected = new PodPatchBuilder(new InjectionOptions()).Inject(pod, "shop", new Dictionary<string, string> { ["acgs.io/inject"] = "enabled" }).Pod;
        var adminPort = injected.Spec.InitContainers.Single(static c => c.Name == "acgs-sidecar").Ports.Single(static p => p.ContainerPort == 15020);

        Assert.Equal(["PodMonitor", "ServiceMonitor"], documents.Keys.Order());
        var serviceMonitor = documents["ServiceMonitor"];
        Assert.Equal("monitoring.coreos.com/v1", Scalar(serviceMonitor, "apiVersion"));
        var labels = (YamlMappingNode)Node(serviceMonitor, "spec", "selector", "matchLabels");
        Assert.All(labels.Children, l => Assert.Equal(((YamlScalarNode)l.Value).Value, service.Metadata.Labels[((YamlScalarNode)l.Key).Value!]));
        var endpoint = (YamlMappingNode)((YamlSequenceNode)Node(serviceMonitor, "spec", "endpoints")).Children.Single();
        Assert.Contains(service.Spec.Ports, p => p.Name == Scalar(endpoint, "port"));
        Assert.Equal("/metrics", Scalar(endpoint, "path"));
        var podEndpoint = (YamlMappingNode)((YamlSequenceNode)Node(documents["PodMonitor"], "spec", "podMetricsEndpoints")).Children.Single();
        Assert.Equal(adminPort.Name, Scalar(podEndpoint, "port"));
        Assert.Equal(injected.Metadata.Annotations["prometheus.io/path"], Scalar(podEndpoint, "path"));
        Assert.Equal(adminPort.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), injected.Metadata.Annotations["prometheus.io/port"]);
    }

    [Fact]
    public void ControlPlane_DisruptionBudgetAndAntiAffinity_SelectItsOwnReplicas()
    {
        var deployment = Mesh.Single<V1Deployment>("acgs-control-plane");
        var labels = new Dictionary<string, string>(deployment.Spec.Template.Metadata.Labels);
        var budget = Mesh.Single<V1PodDisruptionBudget>("acgs-control-plane");
        var term = deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution.Single().PodAffinityTerm;

        Assert.Equal(deployment.Metadata.NamespaceProperty, budget.Metadata.NamespaceProperty);
        Assert.True(LabelsMatch(budget.Spec.Selector, labels));
        Assert.True(int.Parse(budget.Spec.MinAvailable.Value, System.Globalization.CultureInfo.InvariantCulture) is var min && min >= 1 && min < deployment.Spec.Replicas);
        Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
        Assert.True(LabelsMatch(term.LabelSelector, labels));
    }

    [Fact]
    public void NetworkPolicies_AllowExactlyTheDeclaredPortsOfThePodsTheySelect()
    {
        var controlPlane = Mesh.Single<V1Deployment>("acgs-control-plane").Spec.Template;
        var redis = Mesh.Single<V1Deployment>("acgs-redis").Spec.Template;
        var cpPolicy = Mesh.Single<V1NetworkPolicy>("acgs-control-plane");
        var redisPolicy = Mesh.Single<V1NetworkPolicy>("acgs-redis");

        Assert.True(LabelsMatch(cpPolicy.Spec.PodSelector, new Dictionary<string, string>(controlPlane.Metadata.Labels)));
        var cpPorts = cpPolicy.Spec.Ingress.SelectMany(static r => r.Ports).Select(static p => p.Port.Value).Order();
        Assert.Equal(controlPlane.Spec.Containers.Single().Ports.Select(static p => p.Name).Order(), cpPorts);
        Assert.True(LabelsMatch(redisPolicy.Spec.PodSelector, new Dictionary<string, string>(redis.Metadata.Labels)));
        var redisRule = redisPolicy.Spec.Ingress.Single();
        Assert.Equal("6379", redisRule.Ports.Single().Port.Value);
        Assert.Contains(redis.Spec.Containers.Single().Ports, static p => p.ContainerPort == 6379);
        Assert.True(LabelsMatch(redisRule.FromProperty.Single().PodSelector, new Dictionary<string, string>(controlPlane.Metadata.Labels)));
    }

    [Fact]
    public void Identity_ControlPlaneChecksProjectedTokensInjectedWithItsAudience()
    {
        var container = Mesh.Single<V1Deployment>("acgs-control-plane").Spec.Template.Spec.Containers.Single();
        var env = container.Env.Where(static e => e.Value is not null).ToDictionary(static e => e.Name, static e => e.Value);
        var rules = Mesh.Single<V1ClusterRole>("acgs-control-plane").Rules;
        var options = InjectionOptions.Read(new SettingsReader(name => env.GetValueOrDefault(name)));
        var example = Example.All<V1Deployment>().Single();
        var pod = new V1Pod { Metadata = example.Spec.Template.Metadata, Spec = example.Spec.Template.Spec };
        var injected = new PodPatchBuilder(options).Inject(pod, "acgs-demo", new Dictionary<string, string> { ["acgs.io/inject"] = "enabled" }).Pod;
        var projected = injected.Spec.Volumes.Single(static v => v.Name == "acgs-identity").Projected.Sources.Single().ServiceAccountToken;
        var sidecarEnv = injected.Spec.InitContainers.Single(static c => c.Name == "acgs-sidecar").Env;

        Assert.Equal("in-cluster", env["ACGS_KUBERNETES_API"]);
        Assert.Equal("identity", env["ACGS_SIDECAR_AUTH"]);
        Assert.Equal(env["ACGS_IDENTITY_AUDIENCE"], projected.Audience);
        Assert.Contains(rules, static r => r.ApiGroups.Contains("authentication.k8s.io") && r.Resources.Contains("tokenreviews") && r.Verbs.Contains("create"));
        Assert.Contains(rules, static r => r.ApiGroups.Contains("") && r.Resources.Contains("pods") && r.Verbs.Contains("get"));
        // A workload token is issued for the service named like the ServiceAccount: the example runs as one named so.
        Assert.Equal(example.Spec.Template.Spec.ServiceAccountName, sidecarEnv.Single(static e => e.Name == "ACGS_SERVICE_NAME").Value);
        Assert.Contains(Example.All<V1ServiceAccount>(), sa => sa.Metadata.Name == example.Spec.Template.Spec.ServiceAccountName);
        Assert.Equal("/var/run/secrets/acgs/identity/token", sidecarEnv.Single(static e => e.Name == "ACGS_IDENTITY_TOKEN_FILE").Value);
    }

    private static bool LabelsMatch(V1LabelSelector selector, Dictionary<string, string> labels) =>
        selector.MatchExpressions is not { Count: > 0 } && selector.MatchLabels.All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;

    private static YamlNode Node(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            current = ((YamlMappingNode)current).Children[new YamlScalarNode(key)];
        }

        return current;
    }
}
