// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using Acgs.Testing;
using k8s.Models;

namespace Acgs.Injection.Tests;

public sealed class SidecarTemplateTests
{
    [Theory]
    [InlineData(202, 0)]
    [InlineData(404, 1)]
    public async Task DrainCommand_RunByBash_PostsDrainAndSucceedsOnlyOn202(int status, int expectedExit)
    {
        var seen = new List<string>();
        await using var server = await KestrelTestServer.StartAsync(context =>
        {
            lock (seen)
            {
                seen.Add(context.Request.Method + " " + context.Request.Path + " " + context.Request.Headers.Authorization);
            }

            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "admin-token-0123456789abcdef\n");
        var command = SidecarTemplate.DrainCommand(server.Port, tokenFile);
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(expectedExit, process.ExitCode == 0 ? 0 : 1);
        lock (seen)
        {
            Assert.Equal(["POST /drain Bearer admin-token-0123456789abcdef"], seen);
        }

        File.Delete(tokenFile);
    }

    [Fact]
    public void DrainCommand_NothingListening_Fails()
    {
        var port = FreePort.Get();
        var tokenFile = Path.GetTempFileName();
        File.WriteAllText(tokenFile, "admin-token-0123456789abcdef\n");
        var command = SidecarTemplate.DrainCommand(port, tokenFile);
        var start = new ProcessStartInfo(command[0]) { RedirectStandardError = true };
        start.ArgumentList.Add(command[1]);
        start.ArgumentList.Add(command[2]);

        using var process = Process.Start(start)!;
        process.WaitForExit(60_000);

        Assert.NotEqual(0, process.ExitCode);
    }

    [Fact]
    public void IptablesArguments_ExcludedInboundPorts_AreThePortsTheSidecarServesToOtherPods()
    {
        var args = SidecarTemplate.IptablesArguments();
        var sidecar = SidecarTemplate.Sidecar(new V1Pod { Metadata = new V1ObjectMeta { Name = "p" } }, new InjectionOptions());

        var excluded = args[args.IndexOf("--exclude-inbound-ports") + 1].Split(',').Select(int.Parse).Order();
        var served = new[] { sidecar.Ports.Single(static p => p.Name == "acgs-admin").ContainerPort }
            .Concat(sidecar.Env.Where(static e => e.Name is "ACGS_BUS_PORT" or "ACGS_BUS_HTTP_PORT").Select(static e => int.Parse(e.Value)))
            .Order();
        Assert.Equal(served, excluded);
        Assert.Equal("15006", args[args.IndexOf("--inbound-port") + 1]);
        Assert.Equal("15001", args[args.IndexOf("--outbound-port") + 1]);
        Assert.Equal("1337", args[args.IndexOf("--proxy-uid") + 1]);
    }

    [Fact]
    public void AppPort_FirstContainerWithoutPorts_UsesFirstDeclaredTcpPort()
    {
        var pod = new V1Pod
        {
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container { Name = "a" },
                    new V1Container { Name = "b", Ports = [new V1ContainerPort { ContainerPort = 53, Protocol = "UDP" }, new V1ContainerPort { ContainerPort = 8443 }] },
                ],
            },
        };

        Assert.Equal(8443, SidecarTemplate.AppPort(pod));
    }

    [Fact]
    public void Sidecar_PodWithoutPorts_LeavesAppPortToSidecarDefault()
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "x" }, Spec = new V1PodSpec { Containers = [new V1Container { Name = "a" }] } };

        var sidecar = SidecarTemplate.Sidecar(pod, new InjectionOptions());

        Assert.DoesNotContain(sidecar.Env, static e => e.Name == "ACGS_APP_PORT");
    }

    [Theory]
    [InlineData("app.kubernetes.io/name", "Orders", "orders")]
    [InlineData("app", "billing_v2", "billing_v2")]
    public void ServiceName_Labels_UsesLabelLowerCased(string label, string value, string expected)
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "pod-1", Labels = new Dictionary<string, string> { [label] = value } } };

        Assert.Equal(expected, SidecarTemplate.ServiceName(pod));
    }

    [Fact]
    public void ServiceName_NoLabelsOnlyGenerateName_UsesGenerateNameWithoutDash()
    {
        Assert.Equal("web-5d8f", SidecarTemplate.ServiceName(new V1Pod { Metadata = new V1ObjectMeta { GenerateName = "web-5d8f-" } }));
        Assert.Equal("app", SidecarTemplate.ServiceName(new V1Pod()));
    }

    [Fact]
    public void Sidecar_CustomOptions_CarriesResourcesHashesAndUrl()
    {
        var options = new InjectionOptions
        {
            ControlPlaneUrl = new Uri("https://cp.example:9000"),
            ConstitutionalHash = "cdd01ef066bc6cf2, 0123456789abcdef",
            Resources = new SidecarResources { CpuLimit = null, MemoryLimit = "1Gi" },
        };

        var sidecar = SidecarTemplate.Sidecar(new V1Pod { Metadata = new V1ObjectMeta { Name = "p" } }, options);

        Assert.Equal("https://cp.example:9000", sidecar.Env.Single(static e => e.Name == "ACGS_CONTROL_PLANE_URL").Value);
        Assert.Equal("cdd01ef066bc6cf2,0123456789abcdef", sidecar.Env.Single(static e => e.Name == "CONSTITUTIONAL_HASH").Value);
        Assert.False(sidecar.Resources.Limits.ContainsKey("cpu"));
        Assert.Equal("1Gi", sidecar.Resources.Limits["memory"].ToString());
        Assert.Equal("Always", sidecar.RestartPolicy);
        Assert.Equal(1337, sidecar.SecurityContext.RunAsUser);
    }
}
