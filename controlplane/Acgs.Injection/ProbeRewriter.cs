// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text.Json;
using Acgs.Contracts.Injection;
using k8s.Models;

namespace Acgs.Injection;

/// <summary>
/// Moves the app containers' <c>httpGet</c> probes behind the sidecar's admin port (the <c>/app-health</c> model):
/// each becomes <c>GET :15020/app-health/&lt;container&gt;/livez|readyz|startupz</c>, and the original (port, path,
/// timeout, headers) goes to the sidecar as <c>ACGS_APP_PROBES</c>; the sidecar calls it on 127.0.0.1. So a probe
/// needs neither the redirect nor the constitutional hash, and a strict sidecar does not fail the app's probes.
/// HTTPS probes, tcpSocket, grpc and exec probes are left as they are.
/// </summary>
internal static class ProbeRewriter
{
    /// <summary>The admin path of <paramref name="container"/>'s probe of <paramref name="kind"/> (<c>livez</c>, <c>readyz</c>, <c>startupz</c>).</summary>
    public static string AdminPath(string container, string kind) => "/app-health/" + container + "/" + kind;

    /// <summary>The rewritten probes per app container index, and the targets for the sidecar (empty when none).</summary>
    public static (List<(int Container, string Field, V1Probe Probe)> Rewritten, Dictionary<string, AppProbeTarget> Targets) Rewrite(V1Pod pod)
    {
        var rewritten = new List<(int, string, V1Probe)>();
        var targets = new Dictionary<string, AppProbeTarget>(StringComparer.Ordinal);
        var containers = pod.Spec?.Containers ?? [];
        for (var i = 0; i < containers.Count; i++)
        {
            if (containers[i] is not { } container)
            {
                continue;
            }

            Add(container, container.LivenessProbe, "livenessProbe", "livez", i, rewritten, targets);
            Add(container, container.ReadinessProbe, "readinessProbe", "readyz", i, rewritten, targets);
            Add(container, container.StartupProbe, "startupProbe", "startupz", i, rewritten, targets);
        }

        return (rewritten, targets);
    }

    /// <summary>The value of <c>ACGS_APP_PROBES</c> (targets in container order, then liveness, readiness, startup).</summary>
    public static string Serialize(Dictionary<string, AppProbeTarget> targets) =>
        JsonSerializer.Serialize(targets, AppProbeJsonContext.Default.DictionaryStringAppProbeTarget);

    private static void Add(V1Container container, V1Probe? probe, string field, string kind, int index,
        List<(int, string, V1Probe)> rewritten, Dictionary<string, AppProbeTarget> targets)
    {
        if (probe?.HttpGet is not { } get || string.Equals(get.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) || container.Name is null
            || ResolvePort(container, get.Port) is not { } port)
        {
            return;
        }

        var path = AdminPath(container.Name, kind);
        var headers = new List<AppProbeHeader>();
        foreach (var header in get.HttpHeaders ?? [])
        {
            if (header?.Name is null)
            {
                continue;
            }

            headers.Add(new AppProbeHeader(header.Name, header.Value));
        }

        targets[path] = new AppProbeTarget
        {
            Port = port,
            Path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path,
            TimeoutSeconds = probe.TimeoutSeconds ?? 1,
            Headers = [.. headers],
        };
        rewritten.Add((index, field, new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = path, Port = SidecarPorts.Admin, Scheme = "HTTP" },
            InitialDelaySeconds = probe.InitialDelaySeconds,
            PeriodSeconds = probe.PeriodSeconds,
            TimeoutSeconds = probe.TimeoutSeconds,
            SuccessThreshold = probe.SuccessThreshold,
            FailureThreshold = probe.FailureThreshold,
            TerminationGracePeriodSeconds = probe.TerminationGracePeriodSeconds,
        }));
    }

    private static int? ResolvePort(V1Container container, IntOrString? port)
    {
        var value = port?.Value;
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number is > 0 and <= 65535 ? number : null;
        }

        foreach (var declared in container.Ports ?? [])
        {
            if (declared is not null && string.Equals(declared.Name, value, StringComparison.Ordinal))
            {
                return declared.ContainerPort;
            }
        }

        return null;
    }
}
