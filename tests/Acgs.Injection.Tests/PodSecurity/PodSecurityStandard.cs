// Constitutional Hash: cdd01ef066bc6cf2

using k8s.Models;

namespace Acgs.Injection.Tests.PodSecurity;

/// <summary>
/// The checks of the Kubernetes Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards,
/// policy version v1.29–v1.33) for a pod spec, as the PodSecurity admission plugin applies them. Baseline: no host
/// namespaces, privileged containers, added capabilities beyond the default set, hostPath volumes, host ports, non-default
/// /proc mount, unconfined seccomp or AppArmor, custom SELinux user/role, unsafe sysctls. Restricted adds: only
/// ephemeral-safe volume types, no privilege escalation, non-root (runAsNonRoot true, runAsUser not 0), seccomp
/// RuntimeDefault or Localhost, capabilities dropping ALL and adding at most NET_BIND_SERVICE. Every container counts:
/// init (including native sidecars), app and ephemeral.
/// </summary>
internal static class PodSecurityStandard
{
    private static readonly HashSet<string> BaselineCapabilities =
        ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

    private static readonly HashSet<string> SafeSysctls =
        ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"];

    /// <summary>The highest level <paramref name="pod"/> meets.</summary>
    public static PodSecurityLevel Level(V1Pod pod) =>
        Violations(pod, PodSecurityLevel.Restricted).Count == 0 ? PodSecurityLevel.Restricted
        : Violations(pod, PodSecurityLevel.Baseline).Count == 0 ? PodSecurityLevel.Baseline
        : PodSecurityLevel.Privileged;

    /// <summary>Every violation of <paramref name="level"/> (empty when the pod meets it).</summary>
    public static List<string> Violations(V1Pod pod, PodSecurityLevel level)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var v = new List<string>();
        if (level == PodSecurityLevel.Privileged)
        {
            return v;
        }

        var spec = pod.Spec;
        var podContext = spec.SecurityContext;
        Check(v, spec.HostNetwork != true && spec.HostPID != true && spec.HostIPC != true, "host namespaces");
        Check(v, podContext?.SeccompProfile?.Type != "Unconfined", "pod seccomp Unconfined");
        Check(v, podContext?.AppArmorProfile?.Type != "Unconfined", "pod AppArmor Unconfined");
        Check(v, SeLinuxAllowed(podContext?.SeLinuxOptions), "pod SELinux options");
        foreach (var sysctl in podContext?.Sysctls ?? [])
        {
            Check(v, SafeSysctls.Contains(sysctl.Name), "unsafe sysctl " + sysctl.Name);
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            Check(v, volume.HostPath is null, "hostPath volume " + volume.Name);
            if (level == PodSecurityLevel.Restricted)
            {
                Check(v, volume.ConfigMap is not null || volume.Csi is not null || volume.DownwardAPI is not null || volume.EmptyDir is not null
                    || volume.Ephemeral is not null || volume.PersistentVolumeClaim is not null || volume.Projected is not null || volume.Secret is not null,
                    "volume type of " + volume.Name);
            }
        }

        foreach (var container in AllContainers(spec))
        {
            CheckContainer(v, container, podContext, level);
        }

        return v;
    }

    private static void CheckContainer(List<string> v, V1Container c, V1PodSecurityContext? pod, PodSecurityLevel level)
    {
        var sc = c.SecurityContext;
        var name = c.Name + ": ";
        Check(v, sc?.Privileged != true, name + "privileged");
        foreach (var added in sc?.Capabilities?.Add ?? [])
        {
            Check(v, BaselineCapabilities.Contains(added), name + "capability " + added + " added");
        }

        foreach (var port in c.Ports ?? [])
        {
            Check(v, port.HostPort is null or 0, name + "hostPort");
        }

        Check(v, sc?.ProcMount is null or "Default", name + "procMount");
        Check(v, sc?.SeccompProfile?.Type != "Unconfined", name + "seccomp Unconfined");
        Check(v, sc?.AppArmorProfile?.Type != "Unconfined", name + "AppArmor Unconfined");
        Check(v, SeLinuxAllowed(sc?.SeLinuxOptions), name + "SELinux options");
        if (level != PodSecurityLevel.Restricted)
        {
            return;
        }

        Check(v, sc?.AllowPrivilegeEscalation == false, name + "allowPrivilegeEscalation != false");
        Check(v, (sc?.RunAsNonRoot ?? pod?.RunAsNonRoot) == true, name + "runAsNonRoot != true");
        Check(v, (sc?.RunAsUser ?? pod?.RunAsUser) != 0, name + "runAsUser 0");
        var seccomp = sc?.SeccompProfile?.Type ?? pod?.SeccompProfile?.Type;
        Check(v, seccomp is "RuntimeDefault" or "Localhost", name + "seccompProfile not RuntimeDefault/Localhost");
        Check(v, sc?.Capabilities?.Drop?.Contains("ALL") == true, name + "capabilities do not drop ALL");
        foreach (var added in sc?.Capabilities?.Add ?? [])
        {
            Check(v, added == "NET_BIND_SERVICE", name + "capability " + added + " added (restricted)");
        }
    }

    private static bool SeLinuxAllowed(V1SELinuxOptions? options) =>
        options is null || (options.User is null && options.Role is null
            && options.Type is null or "" or "container_t" or "container_init_t" or "container_kvm_t" or "container_engine_t");

    private static IEnumerable<V1Container> AllContainers(V1PodSpec spec)
    {
        foreach (var c in spec.InitContainers ?? [])
        {
            yield return c;
        }

        foreach (var c in spec.Containers ?? [])
        {
            yield return c;
        }

        foreach (var e in spec.EphemeralContainers ?? [])
        {
            yield return new V1Container { Name = e.Name, SecurityContext = e.SecurityContext, Ports = e.Ports };
        }
    }

    private static void Check(List<string> violations, bool ok, string what)
    {
        if (!ok)
        {
            violations.Add(what);
        }
    }
}
