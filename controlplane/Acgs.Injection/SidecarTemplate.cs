// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using k8s.Models;

namespace Acgs.Injection;

/// <summary>Builds the containers and the volume injected into a pod.</summary>
internal static class SidecarTemplate
{
    /// <summary>The path of the last-known-good snapshot, on the writable run volume.</summary>
    public const string LastKnownGoodPath = InjectionLabels.RunVolumeMountPath + "/last-known-good.json";

    /// <summary>The admin token file on the run volume: the sidecar writes a random token there at start
    /// (<c>ACGS_ADMIN_API_TOKEN_FILE</c>, owner-only) and the preStop hook, in the same container, reads it.</summary>
    public const string AdminTokenPath = InjectionLabels.RunVolumeMountPath + "/admin-token";

    /// <summary>
    /// The preStop command: bash reads the admin token from <paramref name="tokenFile"/> and its <c>/dev/tcp</c> sends
    /// <c>POST /drain</c> with <c>Authorization: Bearer</c> to the admin port, succeeding on <c>202</c>. Kubernetes'
    /// <c>httpGet</c> handler can only GET, and the image has no curl; bash is in the default runtime-deps base image
    /// (not in chiseled ones).
    /// </summary>
    public static IList<string> DrainCommand(int adminPort, string tokenFile = AdminTokenPath) =>
    [
        "/bin/bash",
        "-c",
        string.Create(CultureInfo.InvariantCulture,
            $"IFS= read -r token < '{tokenFile}' && exec 3<>/dev/tcp/127.0.0.1/{adminPort} && printf 'POST /drain HTTP/1.1\\r\\nHost: 127.0.0.1:{adminPort}\\r\\nAuthorization: Bearer %s\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n' \"$token\" >&3 && IFS= read -r status <&3 && [[ \"$status\" == 'HTTP/1.1 202'* ]]"),
    ];

    /// <summary>
    /// The arguments of <c>deploy/iptables/acgs-iptables.sh</c>: inbound to 15006, outbound to 15001, the proxy uid's
    /// traffic and the ports the sidecar serves to other pods (admin, bus, bus HTTP) left alone.
    /// </summary>
    public static IList<string> IptablesArguments() =>
    [
        "--inbound-port", Text(SidecarPorts.Inbound),
        "--outbound-port", Text(SidecarPorts.Outbound),
        "--proxy-uid", Text(SidecarPorts.ProxyUid),
        "--exclude-inbound-ports", Text(SidecarPorts.Admin) + "," + Text(SidecarPorts.Bus) + "," + Text(SidecarPorts.BusHttp),
    ];

    /// <summary>The init container that installs the nat REDIRECT rules (root, NET_ADMIN and NET_RAW only).</summary>
    public static V1Container InitContainer(InjectionOptions options) => new()
    {
        Name = InjectionLabels.InitContainerName,
        Image = options.Image,
        ImagePullPolicy = options.ImagePullPolicy,
        Command = [options.IptablesCommand],
        Args = IptablesArguments(),
        SecurityContext = new V1SecurityContext
        {
            RunAsUser = 0,
            RunAsGroup = 0,
            RunAsNonRoot = false,
            Privileged = false,
            AllowPrivilegeEscalation = false,
            // iptables takes /run/xtables.lock, so this short-lived container's root file system stays writable.
            ReadOnlyRootFilesystem = false,
            Capabilities = new V1Capabilities { Add = ["NET_ADMIN", "NET_RAW"], Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
        },
    };

    /// <summary>The sidecar as a native sidecar: an init container with <c>restartPolicy: Always</c>.</summary>
    public static V1Container Sidecar(V1Pod pod, InjectionOptions options, string? appProbes = null)
    {
        var env = new List<V1EnvVar>
        {
            new() { Name = "ACGS_SERVICE_NAME", Value = ServiceName(pod) },
            new() { Name = "ACGS_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
            new() { Name = "ACGS_NODE_ID", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            // Bind every address: iptables redirects the sidecar's own calls back into its pod to 127.0.0.1:15006.
            // Advertise the pod IP, which other pods can reach (the host name is not resolvable across pods).
            new() { Name = "ACGS_INBOUND_ADDRESS", Value = "0.0.0.0" },
            new() { Name = "ACGS_INBOUND_ADVERTISE_ADDRESS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
        };
        if (AppPort(pod) is { } appPort)
        {
            env.Add(new V1EnvVar { Name = "ACGS_APP_PORT", Value = Text(appPort) });
        }

        env.Add(new V1EnvVar { Name = "ACGS_ADMIN_ADDRESS", Value = "0.0.0.0" });
        env.Add(new V1EnvVar { Name = "ACGS_BUS_PORT", Value = Text(SidecarPorts.Bus) });
        env.Add(new V1EnvVar { Name = "ACGS_BUS_HTTP_PORT", Value = Text(SidecarPorts.BusHttp) });
        env.Add(new V1EnvVar { Name = "ACGS_CONTROL_PLANE_URL", Value = options.ControlPlaneUrl.OriginalString });
        env.Add(new V1EnvVar { Name = "CONSTITUTIONAL_HASH", Value = options.HashList });
        env.Add(new V1EnvVar { Name = "ACGS_LKG_PATH", Value = LastKnownGoodPath });
        env.Add(new V1EnvVar { Name = "ACGS_ADMIN_API_TOKEN_FILE", Value = AdminTokenPath });
        env.Add(new V1EnvVar { Name = "ACGS_IDENTITY_TOKEN_FILE", Value = InjectionLabels.IdentityMountPath + "/token" });
        if (appProbes is not null)
        {
            env.Add(new V1EnvVar { Name = "ACGS_APP_PROBES", Value = appProbes });
        }

        return new V1Container
        {
            Name = InjectionLabels.SidecarContainerName,
            Image = options.Image,
            ImagePullPolicy = options.ImagePullPolicy,
            RestartPolicy = "Always",
            Ports =
            [
                new V1ContainerPort { Name = "acgs-inbound", ContainerPort = SidecarPorts.Inbound, Protocol = "TCP" },
                new V1ContainerPort { Name = "acgs-admin", ContainerPort = SidecarPorts.Admin, Protocol = "TCP" },
                new V1ContainerPort { Name = "acgs-bus", ContainerPort = SidecarPorts.Bus, Protocol = "TCP" },
                new V1ContainerPort { Name = "acgs-bus-http", ContainerPort = SidecarPorts.BusHttp, Protocol = "TCP" },
            ],
            Env = env,
            SecurityContext = new V1SecurityContext
            {
                RunAsUser = SidecarPorts.ProxyUid,
                RunAsGroup = SidecarPorts.ProxyUid,
                RunAsNonRoot = true,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Privileged = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            StartupProbe = Probe("/health/startup", periodSeconds: 1, failureThreshold: 120),
            ReadinessProbe = Probe("/health/ready", periodSeconds: 5, failureThreshold: 3),
            Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Exec = new V1ExecAction { Command = DrainCommand(SidecarPorts.Admin) } } },
            Resources = Resources(options.Resources),
            VolumeMounts =
            [
                new V1VolumeMount { Name = InjectionLabels.RunVolumeName, MountPath = InjectionLabels.RunVolumeMountPath },
                new V1VolumeMount { Name = InjectionLabels.IdentityVolumeName, MountPath = InjectionLabels.IdentityMountPath, ReadOnlyProperty = true },
            ],
        };
    }


    /// <summary>The first container port of the pod's first container that declares one, or null.</summary>
    public static int? AppPort(V1Pod pod)
    {
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            foreach (var port in container?.Ports ?? [])
            {
                if (port is { ContainerPort: > 0 and <= 65535 } && port.Protocol is null or "TCP")
                {
                    return port.ContainerPort;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The service the sidecar fronts: label <c>app.kubernetes.io/name</c>, else <c>app</c>, else the pod's
    /// name or generateName, else <c>app</c>; reduced to the one service-name rule (<c>ServiceName.Reduce</c>), which the
    /// sidecar checks at start and the control plane on every call.
    /// </summary>
    public static string ServiceName(V1Pod pod)
    {
        var labels = pod.Metadata?.Labels;
        string? name = null;
        if (labels is not null && !(labels.TryGetValue("app.kubernetes.io/name", out name) && !string.IsNullOrWhiteSpace(name)))
        {
            labels.TryGetValue("app", out name);
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            name = !string.IsNullOrWhiteSpace(pod.Metadata?.Name) ? pod.Metadata.Name : pod.Metadata?.GenerateName?.TrimEnd('-');
        }

        var reduced = Acgs.Contracts.Validation.ServiceName.Reduce(name);
        return reduced.Length == 0 ? "app" : reduced;
    }

    private static V1Probe Probe(string path, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = SidecarPorts.Admin, Scheme = "HTTP" },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = 3,
    };

    private static V1ResourceRequirements Resources(SidecarResources resources)
    {
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        Put(requests, "cpu", resources.CpuRequest);
        Put(requests, "memory", resources.MemoryRequest);
        Put(limits, "cpu", resources.CpuLimit);
        Put(limits, "memory", resources.MemoryLimit);
        return new V1ResourceRequirements { Requests = requests.Count == 0 ? null : requests, Limits = limits.Count == 0 ? null : limits };
    }

    private static void Put(Dictionary<string, ResourceQuantity> target, string key, string? value)
    {
        if (value is not null)
        {
            target[key] = new ResourceQuantity(value);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
