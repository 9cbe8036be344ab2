// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Outbound;

/// <summary>
/// The Host forms a Kubernetes client may use for one service, resolved as cluster DNS resolves them from the
/// caller's pod (search path <c>&lt;ns&gt;.svc.&lt;domain&gt; svc.&lt;domain&gt; &lt;domain&gt;</c>): a route host
/// <c>svc</c> means <c>svc</c> in the sidecar's own namespace, <c>svc.ns</c>, <c>svc.ns.svc</c> and
/// <c>svc.ns.svc.&lt;domain&gt;</c> name service <c>svc</c> of namespace <c>ns</c>. Each form is registered in the
/// compiled route table (YARP <c>Match.Hosts</c>), so a request is matched by the routing table alone: nothing is
/// parsed or normalised per request. A port on the route host is kept on every form; a route host without a port
/// matches any port. Wildcard hosts, IP addresses and other names are registered as written.
/// </summary>
internal static class ServiceHostForms
{
    /// <summary>
    /// The forms of <paramref name="routeHost"/> for a sidecar in <paramref name="ownNamespace"/> of a cluster with
    /// DNS domain <paramref name="clusterDomain"/>; the route host itself comes first.
    /// </summary>
    public static List<string> For(string routeHost, string ownNamespace, string clusterDomain)
    {
        ArgumentNullException.ThrowIfNull(routeHost);
        ArgumentNullException.ThrowIfNull(ownNamespace);
        ArgumentNullException.ThrowIfNull(clusterDomain);
        var forms = new List<string>(5) { routeHost };
        var colon = routeHost.LastIndexOf(':');
        var port = colon >= 0 ? routeHost[colon..] : string.Empty;
        var host = colon >= 0 ? routeHost[..colon] : routeHost;
        if (!TrySplit(host, ownNamespace, clusterDomain, out var service, out var ns))
        {
            return forms;
        }

        Add(forms, service + "." + ns + port);
        Add(forms, service + "." + ns + ".svc" + port);
        Add(forms, service + "." + ns + ".svc." + clusterDomain + port);
        if (string.Equals(ns, ownNamespace, StringComparison.OrdinalIgnoreCase))
        {
            Add(forms, service + port);
        }

        return forms;
    }

    /// <summary>Splits a service host (<c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc</c>, <c>svc.ns.svc.&lt;domain&gt;</c>) into service and namespace.</summary>
    private static bool TrySplit(string host, string ownNamespace, string clusterDomain, out string service, out string ns)
    {
        service = ns = string.Empty;
        if (host.Length == 0 || host.StartsWith('*') || host.StartsWith('[') || System.Net.IPAddress.TryParse(host, out _))
        {
            return false;
        }

        var suffix = ".svc." + clusterDomain;
        var name = host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? host[..^suffix.Length]
            : host.EndsWith(".svc", StringComparison.OrdinalIgnoreCase) ? host[..^4]
            : host;
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            if (name.Length != host.Length)
            {
                return false; // "x.svc" is not a service form
            }

            service = name;
            ns = ownNamespace;
            return true;
        }

        if (dot == 0 || dot == name.Length - 1 || name.IndexOf('.', dot + 1) >= 0)
        {
            return false;
        }

        service = name[..dot];
        ns = name[(dot + 1)..];
        return true;
    }

    private static void Add(List<string> forms, string form)
    {
        foreach (var existing in forms)
        {
            if (string.Equals(existing, form, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        forms.Add(form);
    }
}
