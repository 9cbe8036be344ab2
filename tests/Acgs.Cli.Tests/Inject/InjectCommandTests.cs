// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Acgs.Cli.Tests.Inject;

public sealed class InjectCommandTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("acgsctl-tests-").FullName;

    [Fact]
    public void Inject_MultiDocumentFile_InjectsDeploymentAndPassesOthersThroughUnchanged()
    {
        var input = Write("in.yaml", Manifests.Stream(Manifests.ConfigMap, Manifests.Deployment, Manifests.OptedOutPod, Manifests.Service));
        var output = Path.Combine(directory, "out.yaml");

        var run = CliRun.Invoke(["inject", "-f", input, "-o", output]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Stdout);
        var text = File.ReadAllText(output);
        Assert.StartsWith(Manifests.ConfigMap + "---\n", text, StringComparison.Ordinal);
        Assert.EndsWith("---\n" + Manifests.OptedOutPod + "---\n" + Manifests.Service, text, StringComparison.Ordinal);
        var objects = KubernetesYaml.LoadAllFromString(text);
        Assert.Equal(4, objects.Count);
        var deployment = Assert.IsType<V1Deployment>(objects[1]);
        var init = deployment.Spec.Template.Spec.InitContainers;
        Assert.Equal(["acgs-init", "acgs-sidecar"], init.Select(static c => c.Name));
        Assert.Equal("Always", init[1].RestartPolicy);
        Assert.Equal("8080", init[1].Env.Single(static e => e.Name == "ACGS_APP_PORT").Value);
        Assert.True(deployment.Spec.Template.Metadata.Annotations.ContainsKey("acgs.io/status"));
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Null(Assert.IsType<V1Pod>(objects[2]).Spec.InitContainers);
        Assert.Contains("Deployment shop/web: injected", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Pod shop/batch: skipped: the pod opts out", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_RedirectNoneOnTemplate_NoIptablesInitContainerAndAppGetsHttpProxy()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}, annotations: {acgs.io/redirect: "none"}}
                spec:
                  containers: [{name: web, image: example/web, ports: [{containerPort: 8080}]}]
            """;

        var run = CliRun.Invoke(["inject", "-f", "-"], yaml);

        Assert.Equal(0, run.ExitCode);
        var template = Assert.IsType<V1Deployment>(KubernetesYaml.LoadAllFromString(run.Stdout).Single()).Spec.Template;
        Assert.Equal(["acgs-sidecar"], template.Spec.InitContainers.Select(static c => c.Name));
        Assert.Equal("http://127.0.0.1:15001", template.Spec.Containers[0].Env.Single(static e => e.Name == "HTTP_PROXY").Value);
        Assert.Contains("\"redirect\":\"none\"", template.Metadata.Annotations["acgs.io/status"], StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_FieldsUnknownToObjectModel_WarnsNamingEachPath()
    {
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, creationTimestamp: null}
            spec:
              futureField: {enabled: true}
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: example/web, imagePullPolicey: Always}]
            status: {}
            """;

        var run = CliRun.Invoke(["inject", "-f", "-"], yaml);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: Deployment shop/web: fields unknown to the Kubernetes object model were dropped: /spec/futureField, /spec/template/spec/containers/0/imagePullPolicey", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_OwnOutputAgain_ChangesNothing()
    {
        var first = CliRun.Invoke(["inject", "-f", "-"], Manifests.Stream(Manifests.ConfigMap, Manifests.Deployment));

        var second = CliRun.Invoke(["inject", "-f", "-"], first.Stdout);

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);
        Assert.Contains("already injected", second.Stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Workloads => new()
    {
        { "apps/v1", "StatefulSet" },
        { "apps/v1", "DaemonSet" },
        { "apps/v1", "ReplicaSet" },
        { "batch/v1", "Job" },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Inject_WorkloadKinds_InjectsPodTemplate(string apiVersion, string kind)
    {
        var yaml = $$$"""
            apiVersion: {{{apiVersion}}}
            kind: {{{kind}}}
            metadata: {name: w, namespace: shop}
            spec:
              selector: {matchLabels: {app: w}}
              template:
                metadata: {labels: {app: w}}
                spec:
                  containers: [{name: w, image: example/w}]
            """;

        var run = CliRun.Invoke(["inject", "-f", "-"], yaml);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("name: acgs-sidecar", run.Stdout, StringComparison.Ordinal);
        Assert.Contains(kind + " shop/w: injected", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_CronJob_InjectsJobTemplatesPodTemplate()
    {
        const string yaml = """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: nightly, namespace: shop}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: job, image: example/job}]
            """;

        var run = CliRun.Invoke(["inject", "-f", "-"], yaml);

        var cron = Assert.IsType<V1CronJob>(KubernetesYaml.LoadAllFromString(run.Stdout).Single());
        Assert.Equal("acgs-sidecar", cron.Spec.JobTemplate.Spec.Template.Spec.InitContainers[1].Name);
    }

    [Fact]
    public void Inject_SystemNamespacePod_LeftUnchanged()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: kube-system}\nspec: {containers: [{name: c, image: i}]}\n";

        var run = CliRun.Invoke(["inject", "-f", "-"], yaml);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(yaml, run.Stdout);
        Assert.Contains("never injected", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n", "malformed YAML at line 5, column 1: While parsing a flow sequence")]
    [InlineData("a: b\n  c: d\n", "malformed YAML at line 2")]
    [InlineData("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: 5\n", "document 1 (apps/v1 Deployment) is not a valid Deployment")]
    [InlineData("kind: ConfigMap\n---\napiVersion: apps/v1\nkind: Deployment\nspec: {replicas: many}\n", "document 2 (apps/v1 Deployment)")]
    public void Inject_MalformedYaml_ExitsOneWithPreciseMessageAndWritesNothing(string yaml, string expected)
    {
        var input = Write("bad.yaml", yaml);
        var output = Path.Combine(directory, "out.yaml");

        var run = CliRun.Invoke(["inject", "-f", input, "-o", output]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(input + ": ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Inject_MissingInputFile_ExitsOne()
    {
        var run = CliRun.Invoke(["inject", "-f", Path.Combine(directory, "nope.yaml")]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot read", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "inject" }, "-f FILE is required")]
    [InlineData(new[] { "inject", "-f", "x.yaml", "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "inject", "-f" }, "option -f needs a value")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "inject", "-f", "x.yaml", "--control-plane-url", "nope" }, "ACGS_INJECT_CONTROL_PLANE_URL")]
    public void Run_UsageErrors_ExitTwo(string[] args, string expected)
    {
        var run = CliRun.Invoke(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inject_SettingsFromEnvironmentAndFlags_AppearInSidecar()
    {
        var env = new Dictionary<string, string> { ["ACGS_INJECT_IMAGE"] = "env/image:1", ["ACGS_INJECT_MEMORY_LIMIT"] = "512Mi" };

        var run = CliRun.Invoke(["inject", "-f", "-", "--image", "flag/image:2"], Manifests.Deployment, env);

        var deployment = Assert.IsType<V1Deployment>(KubernetesYaml.LoadAllFromString(run.Stdout).Single());
        var sidecar = deployment.Spec.Template.Spec.InitContainers[1];
        Assert.Equal("flag/image:2", sidecar.Image);
        Assert.Equal("512Mi", sidecar.Resources.Limits["memory"].ToString());
    }

    [Fact]
    public void Inject_InvalidEnvironmentSettings_ExitTwoListingEach()
    {
        var env = new Dictionary<string, string> { ["ACGS_INJECT_IMAGE_PULL_POLICY"] = "Sometimes", ["ACGS_INJECT_CPU_REQUEST"] = "lots" };

        var run = CliRun.Invoke(["inject", "-f", "-"], Manifests.Deployment, env);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(
        [
            "acgsctl inject: ACGS_INJECT_IMAGE_PULL_POLICY: must be Always, IfNotPresent or Never (got 'Sometimes')",
            "acgsctl inject: ACGS_INJECT_CPU_REQUEST: must be a Kubernetes quantity (e.g. 100m, 0.5, 128Mi, 1Gi) or 'none' (got 'lots')",
            "Run 'acgsctl help' for usage.",
        ], run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Acgsctl_AsProcess_InjectsFileAndExitsZero()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "acgsctl.dll");
        var input = Write("in.yaml", Manifests.Stream(Manifests.ConfigMap, Manifests.Deployment));
        var output = Path.Combine(directory, "out.yaml");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { cli, "inject", "-f", input, "-o", output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, await stderr);
        Assert.Contains("name: acgs-sidecar", File.ReadAllText(output), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
