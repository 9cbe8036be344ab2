// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Globalization;
using System.Net;
using Acgs.Testing;
using k8s.Models;

namespace Acgs.Injection.Tests;

/// <summary>
/// The injected container's contract with the real sidecar: the built Acgs.Sidecar started with the environment the
/// injector gives it (downward-API values filled in as the kubelet would, listener ports moved to free ones so tests
/// can run side by side) passes its startup probe, and the injected preStop command drains it: it exits cleanly.
/// </summary>
public sealed class SidecarContractTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("acgs-injection-contract-").FullName;

    [Fact]
    public async Task InjectedEnvironment_StartsRealSidecar_ProbesAnswerAndPreStopDrains()
    {
        var appPort = FreePort.Get();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web-0", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec
            {
                Containers =
                [
                    new V1Container
                    {
                        Name = "web",
                        Ports = [new V1ContainerPort { ContainerPort = appPort }],
                        LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = appPort } },
                    },
                ],
            },
        };
        var (probes, targets) = ProbeRewriter.Rewrite(pod);
        var sidecar = SidecarTemplate.Sidecar(
            pod,
            new InjectionOptions { ControlPlaneUrl = new Uri("http://127.0.0.1:" + FreePort.Get().ToString(CultureInfo.InvariantCulture)) },
            ProbeRewriter.Serialize(targets));
        var admin = FreePort.Get();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SidecarDll());
        foreach (var variable in sidecar.Env)
        {
            start.Environment[variable.Name] = variable.ValueFrom?.FieldRef?.FieldPath switch
            {
                "metadata.name" => "web-0",
                "metadata.namespace" => "shop",
                "status.podIP" => "127.0.0.1",
                null => variable.Value,
                var other => throw new InvalidOperationException("unexpected downward-API field " + other),
            };
        }

        start.Environment["ACGS_LKG_PATH"] = Path.Combine(directory, "run", "last-known-good.json");
        start.Environment["ACGS_INBOUND_PORT"] = Text(FreePort.Get());
        start.Environment["ACGS_OUTBOUND_PORT"] = Text(FreePort.Get());
        start.Environment["ACGS_ADMIN_PORT"] = Text(admin);
        start.Environment["ACGS_BUS_PORT"] = Text(FreePort.Get());
        start.Environment["ACGS_BUS_HTTP_PORT"] = Text(FreePort.Get());
        start.Environment["ACGS_DRAIN_TIMEOUT_SECONDS"] = "30";
        var identityToken = Path.Combine(directory, "identity-token");
        File.WriteAllText(identityToken, "projected-token");
        Assert.Equal("/var/run/secrets/acgs/identity/token", start.Environment["ACGS_IDENTITY_TOKEN_FILE"]);
        start.Environment["ACGS_IDENTITY_TOKEN_FILE"] = identityToken;
        var tokenFile = Path.Combine(directory, "admin-token");
        Assert.Equal(SidecarTemplate.AdminTokenPath, start.Environment["ACGS_ADMIN_API_TOKEN_FILE"]);
        start.Environment["ACGS_ADMIN_API_TOKEN_FILE"] = tokenFile; // the sidecar writes it, the preStop hook reads it
        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + Text(admin)), Timeout = TimeSpan.FromSeconds(5) };
            var startup = sidecar.StartupProbe.HttpGet.Path;
            HttpStatusCode? status = null;
            await Eventually.ValueAsync(
                async () =>
                {
                    try
                    {
                        using var response = await client.GetAsync(startup);
                        status = response.StatusCode;
                    }
                    catch (HttpRequestException)
                    {
                    }

                    return status;
                },
                last => last == HttpStatusCode.OK || process.HasExited,
                TimeSpan.FromSeconds(90));

            Assert.True(status == HttpStatusCode.OK, $"{startup} never answered 200 (last {status}, exited {process.HasExited}):\n{string.Join('\n', output)}");

            // The app's rewritten liveness probe (nothing listens on its port): the sidecar accepted ACGS_APP_PROBES and calls it.
            using (var live = await client.GetAsync(Assert.Single(probes).Probe.HttpGet.Path))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, live.StatusCode);
            }

            var drain = sidecar.Lifecycle.PreStop.Exec.Command.ToList();
            drain[^1] = drain[^1].Replace("127.0.0.1/15020", "127.0.0.1/" + Text(admin), StringComparison.Ordinal)
                .Replace("127.0.0.1:15020", "127.0.0.1:" + Text(admin), StringComparison.Ordinal)
                .Replace(SidecarTemplate.AdminTokenPath, tokenFile, StringComparison.Ordinal);
            var bash = new ProcessStartInfo(drain[0]);
            foreach (var argument in drain.Skip(1))
            {
                bash.ArgumentList.Add(argument);
            }

            using (var preStop = Process.Start(bash)!)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await preStop.WaitForExitAsync(timeout.Token);
                Assert.Equal(0, preStop.ExitCode);
            }

            // POST /drain turns readiness off and stops the host once in-flight requests are done: the sidecar exits by itself.
            using (var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await process.WaitForExitAsync(exit.Token);
            }

            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{string.Join('\n', output)}");
            Assert.Contains(output, static line => line.Contains("POST /drain", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string SidecarDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "dataplane", "Acgs.Sidecar", "bin", configuration, "net10.0", "Acgs.Sidecar.dll");
            if (File.Exists(Path.Combine(dir.FullName, "Acgs.sln")))
            {
                Assert.True(File.Exists(candidate), candidate + " is missing: build dataplane/Acgs.Sidecar");
                return candidate;
            }
        }

        throw new InvalidOperationException("no Acgs.sln above " + AppContext.BaseDirectory);
    }
}
