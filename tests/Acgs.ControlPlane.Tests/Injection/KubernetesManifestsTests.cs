// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Injection;
using Acgs.Injection;
using k8s.Models;

namespace Acgs.ControlPlane.Tests.Injection;

/// <summary>deploy/k8s validated against the Kubernetes object model and against the control plane's own defaults.</summary>
public sealed class KubernetesManifestsTests
{
    private static readonly KubernetesManifests Mesh = KubernetesManifests.Load();
    private static readonly KubernetesManifests Example = KubernetesManifests.Load("example");

    [Theory]
    [InlineData(".")]
    [InlineData("example")]
    public void Kustomization_EveryYamlFile_ListedLoadsTypedAndCarriesHash(string relative)
    {
        var manifests = KubernetesManifests.Load(relative);

        var onDisk = Directory.GetFiles(manifests.Directory, "*.yaml").Where(static f => Path.GetFileName(f) != "kustomization.yaml").Order();
        Assert.Equal(onDisk, manifests.Resources.Order());
        Assert.All(manifests.Resources, static f => Assert.Contains("Constitutional Hash: cdd01ef066bc6cf2", File.ReadAllText(f), StringComparison.Ordinal));
        Assert.NotEmpty(manifests.Objects);
        Assert.All(manifests.Objects, static o => Assert.StartsWith("k8s.Models.V1", o.GetType().FullName, StringComparison.Ordinal));
    }

    [Fact]
    public void ControlPlaneDeployment_Ports_MatchControlPlaneDefaults()
    {
        var container = ControlPlaneContainer();

        Assert.Equal(new ControlPlaneOptions().Port, Port(container, "http"));
        Assert.Equal(new WebhookOptions().Port, Port(container, "webhook"));
        Assert.Equal(Port(container, "http").ToString(System.Globalization.CultureInfo.InvariantCulture), Env(container, "ACGS_CONTROL_PLANE_PORT"));
        Assert.Equal(Port(container, "webhook").ToString(System.Globalization.CultureInfo.InvariantCulture), Env(container, "ACGS_WEBHOOK_PORT"));
    }

    [Fact]
    public void ControlPlaneDeployment_WebhookCertificate_ComesFromMountedTlsSecret()
    {
        var deployment = Mesh.Single<V1Deployment>("acgs-control-plane");
        var container = ControlPlaneContainer();
        var mount = container.VolumeMounts.Single(static m => m.Name == "webhook-tls");
        var volume = deployment.Spec.Template.Spec.Volumes.Single(static v => v.Name == "webhook-tls");

        Assert.Equal("acgs-webhook-tls", volume.Secret.SecretName);
        Assert.Equal(mount.MountPath + "/tls.crt", Env(container, "ACGS_WEBHOOK_CERT"));
        Assert.Equal(mount.MountPath + "/tls.key", Env(container, "ACGS_WEBHOOK_KEY"));
        Assert.True(mount.ReadOnlyProperty);
    }

    [Fact]
    public async Task ControlPlaneDeployment_ProbePaths_AreServedOnTheProbedPort()
    {
        var container = ControlPlaneContainer();
        var probes = new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe };
        var dataDirectory = ControlPlaneHost.NewDataDirectory();
        await using var host = await ControlPlaneHost.StartEmbeddedAsync(dataDirectory);

        foreach (var probe in probes)
        {
            Assert.Equal("http", probe.HttpGet.Port.Value);
            using var response = await host.Client.GetAsync(probe.HttpGet.Path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, probe.HttpGet.Path + " answered " + response.StatusCode);
        }
    }

    [Fact]
    public void Services_Selectors_SelectPodsAndTargetDeclaredPorts()
    {
        var deployments = Mesh.All<V1Deployment>().Concat(Example.All<V1Deployment>()).ToList();
        var services = Mesh.All<V1Service>().Concat(Example.All<V1Service>()).ToList();

        Assert.Equal(3, services.Count);
        foreach (var service in services)
        {
            var deployment = deployments.Single(d => d.Metadata.NamespaceProperty == service.Metadata.NamespaceProperty
                && service.Spec.Selector.All(s => d.Spec.Template.Metadata.Labels.TryGetValue(s.Key, out var v) && v == s.Value));
            Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, deployment.Spec.Template.Metadata.Labels[l.Key]));
            var ports = deployment.Spec.Template.Spec.Containers.SelectMany(static c => c.Ports).ToList();
            foreach (var port in service.Spec.Ports)
            {
                Assert.Contains(ports, p => p.Name == port.TargetPort.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port.TargetPort.Value);
            }
        }
    }

    [Fact]
    public void Webhooks_ClientConfig_ReachControlPlaneWebhookListener()
    {
        var configuration = Mesh.Single<V1MutatingWebhookConfiguration>("acgs-sidecar-injector");
        var service = Mesh.Single<V1Service>("acgs-control-plane");
        var webhookContainerPort = Port(ControlPlaneContainer(), "webhook");

        Assert.Equal(["namespace.inject.acgs.io", "object.inject.acgs.io"], configuration.Webhooks.Select(static w => w.Name));
        Assert.Equal(["/inject/namespace-enabled", "/inject"], configuration.Webhooks.Select(static w => w.ClientConfig.Service.Path));
        Assert.Null(configuration.Webhooks[0].MatchConditions);
        var condition = Assert.Single(configuration.Webhooks[1].MatchConditions).Expression;
        Assert.Contains("object.metadata.annotations['acgs.io/inject'] == 'true'", condition, StringComparison.Ordinal);
        foreach (var webhook in configuration.Webhooks)
        {
            Assert.Equal(service.Metadata.Name, webhook.ClientConfig.Service.Name);
            Assert.Equal(service.Metadata.NamespaceProperty, webhook.ClientConfig.Service.NamespaceProperty);
            var servicePort = service.Spec.Ports.Single(p => p.Port == webhook.ClientConfig.Service.Port);
            Assert.Equal("webhook", servicePort.TargetPort.Value);
            Assert.Equal(new WebhookOptions().Port, webhookContainerPort);
            Assert.Equal("Ignore", webhook.FailurePolicy);
            Assert.Equal("None", webhook.SideEffects);
            Assert.Contains("v1", webhook.AdmissionReviewVersions);
            var rule = Assert.Single(webhook.Rules);
            Assert.Equal(["CREATE"], rule.Operations);
            Assert.Equal([""], rule.ApiGroups);
            Assert.Equal(["v1"], rule.ApiVersions);
            Assert.Equal(["pods"], rule.Resources);
        }
    }

    [Fact]
    public async Task Webhooks_Paths_AnswerAdmissionReviewsOnRealControlPlane()
    {
        var configuration = Mesh.Single<V1MutatingWebhookConfiguration>("acgs-sidecar-injector");
        var dataDirectory = ControlPlaneHost.NewDataDirectory();
        await using var host = await ControlPlaneHost.StartEmbeddedAsync(dataDirectory, extra: new Dictionary<string, string?> { ["ACGS_WEBHOOK_ON_API_PORT"] = "true" });

        foreach (var webhook in configuration.Webhooks)
        {
            using var response = await host.Client.PostAsJsonAsync(webhook.ClientConfig.Service.Path, AdmissionReviews.Review(AdmissionReviews.Pod("true"), uid: webhook.Name));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal(webhook.Name, (string?)review["response"]!["uid"]);
            Assert.Equal("JSONPatch", (string?)review["response"]!["patchType"]);
        }
    }

    [Theory]
    [InlineData("shop", "enabled", "namespace.inject.acgs.io")]
    [InlineData("shop", null, "object.inject.acgs.io")]
    [InlineData("shop", "disabled", "object.inject.acgs.io")]
    [InlineData("kube-system", "enabled", null)]
    [InlineData("kube-public", null, null)]
    [InlineData("kube-node-lease", null, null)]
    [InlineData("acgs-system", "enabled", null)]
    public void Webhooks_NamespaceSelectors_FollowOptInRules(string ns, string? label, string? expected)
    {
        var configuration = Mesh.Single<V1MutatingWebhookConfiguration>("acgs-sidecar-injector");
        var labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns };
        if (label is not null)
        {
            labels["acgs.io/inject"] = label;
        }

        var matching = configuration.Webhooks.Where(w => Matches(w.NamespaceSelector, labels)).Select(static w => w.Name).ToList();

        Assert.Equal(expected is null ? [] : [expected], matching);
    }

    [Fact]
    public void Webhooks_ExcludedNamespaces_AreTheInjectorsNeverInjectedSet()
    {
        var configuration = Mesh.Single<V1MutatingWebhookConfiguration>("acgs-sidecar-injector");
        var mesh = Env(ControlPlaneContainer(), "ACGS_INJECT_MESH_NAMESPACE");
        var expected = InjectionOptions.SystemNamespaces.Append(mesh).Order();

        foreach (var webhook in configuration.Webhooks)
        {
            var excluded = webhook.NamespaceSelector.MatchExpressions.Single(static e => e.Key == "kubernetes.io/metadata.name");
            Assert.Equal("NotIn", excluded.OperatorProperty);
            Assert.Equal(expected, excluded.Values.Order());
        }

        Assert.Equal(mesh, Mesh.All<V1Namespace>().Single().Metadata.Name);
    }

    [Fact]
    public void ControlPlaneDeployment_InjectionSettings_AreValid()
    {
        var container = ControlPlaneContainer();

        Assert.True(InjectionOptions.TryRead(name => container.Env.SingleOrDefault(e => e.Name == name)?.Value, out var options, out var errors), string.Join("; ", errors));
        var service = Mesh.Single<V1Service>("acgs-control-plane");
        Assert.Equal(
            $"http://{service.Metadata.Name}.{service.Metadata.NamespaceProperty}.svc:{service.Spec.Ports.Single(static p => p.Name == "http").Port}",
            options.ControlPlaneUrl.OriginalString);
    }

    [Fact]
    public void ControlPlaneDeployment_RedisUrl_PointsAtRedisService()
    {
        var url = new Uri(Env(ControlPlaneContainer(), "REDIS_URL")!);
        var redis = Mesh.Single<V1Service>("acgs-redis");

        Assert.Equal($"{redis.Metadata.Name}.{redis.Metadata.NamespaceProperty}.svc", url.Host);
        Assert.Contains(redis.Spec.Ports, p => p.Port == url.Port);
    }

    [Fact]
    public void ClusterRoleBinding_Subject_IsControlPlaneServiceAccount()
    {
        var deployment = Mesh.Single<V1Deployment>("acgs-control-plane");
        var binding = Mesh.Single<V1ClusterRoleBinding>("acgs-control-plane");
        var account = Mesh.Single<V1ServiceAccount>(deployment.Spec.Template.Spec.ServiceAccountName);
        var role = Mesh.Single<V1ClusterRole>(binding.RoleRef.Name);

        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(account.Metadata.Name, subject.Name);
        Assert.Equal(account.Metadata.NamespaceProperty, subject.NamespaceProperty);
        // Read-only, except creating TokenReviews (the workload-identity check of a sidecar's CSR).
        Assert.All(role.Rules, static r => Assert.True(
            r.Verbs.SequenceEqual(["get", "list", "watch"]) || (r.Verbs.SequenceEqual(["create"]) && r.Resources.SequenceEqual(["tokenreviews"])),
            string.Join(",", r.Resources) + ": " + string.Join(",", r.Verbs)));
    }

    [Fact]
    public void MeshWorkloads_OptOutOfInjection()
    {
        var builder = new PodPatchBuilder(new InjectionOptions());

        foreach (var deployment in Mesh.All<V1Deployment>())
        {
            var pod = new V1Pod { Metadata = deployment.Spec.Template.Metadata, Spec = deployment.Spec.Template.Spec };
            Assert.False(builder.Build(pod, "anywhere", AdmissionReviewHandler.EnabledNamespace).Decision.Inject, deployment.Metadata.Name);
        }
    }

    [Fact]
    public void ExampleApp_InLabelledNamespace_IsInjectedWithItsPort()
    {
        var ns = Example.All<V1Namespace>().Single();
        var deployment = Example.All<V1Deployment>().Single();
        var pod = new V1Pod { Metadata = deployment.Spec.Template.Metadata, Spec = deployment.Spec.Template.Spec };

        var (result, injected) = new PodPatchBuilder(new InjectionOptions()).Inject(pod, deployment.Metadata.NamespaceProperty, new Dictionary<string, string>(ns.Metadata.Labels));

        Assert.Equal(ns.Metadata.Name, deployment.Metadata.NamespaceProperty);
        Assert.True(result.Decision.Inject, result.Decision.Reason);
        Assert.Equal("5678", injected.Spec.InitContainers[1].Env.Single(static e => e.Name == "ACGS_APP_PORT").Value);
    }

    private static V1Container ControlPlaneContainer() => Mesh.Single<V1Deployment>("acgs-control-plane").Spec.Template.Spec.Containers.Single();

    private static int Port(V1Container container, string name) => container.Ports.Single(p => p.Name == name).ContainerPort;

    private static string? Env(V1Container container, string name) => container.Env.Single(e => e.Name == name).Value;

    private static bool Matches(V1LabelSelector selector, Dictionary<string, string> labels)
    {
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var has = labels.TryGetValue(expression.Key, out var actual);
            var ok = expression.OperatorProperty switch
            {
                "In" => has && expression.Values.Contains(actual!),
                "NotIn" => !has || !expression.Values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => throw new InvalidOperationException("unknown operator " + expression.OperatorProperty),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
