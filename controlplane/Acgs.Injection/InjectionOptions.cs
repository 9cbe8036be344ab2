// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using Acgs.Core.Settings;
using k8s.Models;

namespace Acgs.Injection;

/// <summary>
/// What gets injected and where. Every setting has an environment variable (read by
/// <see cref="TryRead"/>, used by the webhook and by <c>acgsctl</c>); <see cref="Validate"/> reports every problem at once.
/// </summary>
public sealed record InjectionOptions
{
    /// <summary>Namespaces never injected, whatever their labels: Kubernetes' own.</summary>
    public static readonly IReadOnlyList<string> SystemNamespaces = ["kube-system", "kube-public", "kube-node-lease"];

    /// <summary>Sidecar image, also run by the iptables init container (<c>ACGS_INJECT_IMAGE</c>). Default <c>acgs/sidecar:0.1.0</c>.</summary>
    public string Image { get; init; } = "acgs/sidecar:0.1.0";

    /// <summary><c>Always</c>, <c>IfNotPresent</c> or <c>Never</c> (<c>ACGS_INJECT_IMAGE_PULL_POLICY</c>). Default <c>IfNotPresent</c>.</summary>
    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>The control plane's URL as the sidecars reach it (<c>ACGS_INJECT_CONTROL_PLANE_URL</c>). Default <c>http://acgs-control-plane.acgs-system.svc:8000</c>.</summary>
    public Uri ControlPlaneUrl { get; init; } = new("http://acgs-control-plane.acgs-system.svc:8000");

    /// <summary>
    /// The sidecar's <c>CONSTITUTIONAL_HASH</c>: accepted hashes, comma-separated, the first primary
    /// (<c>ACGS_INJECT_CONSTITUTIONAL_HASH</c>, else <c>CONSTITUTIONAL_HASH</c>). Default <c>cdd01ef066bc6cf2</c>.
    /// </summary>
    public string ConstitutionalHash { get; init; } = AcgsConstants.ConstitutionalHash;

    /// <summary>The mesh's own namespace, never injected (<c>ACGS_INJECT_MESH_NAMESPACE</c>). Default <c>acgs-system</c>.</summary>
    public string MeshNamespace { get; init; } = "acgs-system";

    /// <summary>More namespaces never injected (<c>ACGS_INJECT_EXCLUDED_NAMESPACES</c>, comma-separated). Default none.</summary>
    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>
    /// The iptables init container's entry command, an executable inside the image
    /// (<c>ACGS_INJECT_IPTABLES_COMMAND</c>). Default <c>/usr/local/bin/acgs-iptables.sh</c>
    /// (the image's copy of <c>deploy/iptables/acgs-iptables.sh</c>).
    /// </summary>
    public string IptablesCommand { get; init; } = "/usr/local/bin/acgs-iptables.sh";

    /// <summary>The audience of the projected ServiceAccount token the sidecar sends with its CSR (<c>ACGS_INJECT_IDENTITY_AUDIENCE</c>;
    /// must equal the control plane's <c>ACGS_IDENTITY_AUDIENCE</c>). Default <c>acgs-identity</c>.</summary>
    public string IdentityAudience { get; init; } = "acgs-identity";

    /// <summary>Sidecar requests and limits (<c>ACGS_INJECT_CPU_REQUEST</c>, <c>ACGS_INJECT_MEMORY_REQUEST</c>, <c>ACGS_INJECT_CPU_LIMIT</c>, <c>ACGS_INJECT_MEMORY_LIMIT</c>; <c>none</c> leaves one out).</summary>
    public SidecarResources Resources { get; init; } = new();

    /// <summary>True when <paramref name="namespaceName"/> is never injected: one of <see cref="SystemNamespaces"/>, <see cref="MeshNamespace"/> or <see cref="ExcludedNamespaces"/>.</summary>
    public bool IsExcludedNamespace(string? namespaceName) =>
        namespaceName is not null
        && (SystemNamespaces.Contains(namespaceName, StringComparer.Ordinal)
            || string.Equals(namespaceName, MeshNamespace, StringComparison.Ordinal)
            || (ExcludedNamespaces ?? []).Contains(namespaceName, StringComparer.Ordinal));

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Image) || Image.Any(char.IsWhiteSpace))
        {
            errors.Add("ACGS_INJECT_IMAGE: must be a non-empty image reference without spaces (got '" + SettingsReader.Shown(Image ?? string.Empty) + "')");
        }

        if (ImagePullPolicy is not ("Always" or "IfNotPresent" or "Never"))
        {
            errors.Add("ACGS_INJECT_IMAGE_PULL_POLICY: must be Always, IfNotPresent or Never");
        }

        if (ControlPlaneUrl is null || !ControlPlaneUrl.IsAbsoluteUri || (ControlPlaneUrl.Scheme != Uri.UriSchemeHttp && ControlPlaneUrl.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("ACGS_INJECT_CONTROL_PLANE_URL: must be an absolute http(s) URL");
        }

        if (!ConstitutionalHashSet.TryCreate(SplitList(ConstitutionalHash), out _, out var hashErrors))
        {
            errors.AddRange(hashErrors.Select(static e => "ACGS_INJECT_CONSTITUTIONAL_HASH: " + e));
        }

        if (!IsDnsLabel(MeshNamespace))
        {
            errors.Add("ACGS_INJECT_MESH_NAMESPACE: must be a DNS-1123 label (lowercase letters, digits, '-', at most 63)");
        }

        foreach (var ns in ExcludedNamespaces ?? [])
        {
            if (!IsDnsLabel(ns))
            {
                errors.Add("ACGS_INJECT_EXCLUDED_NAMESPACES: entries must be DNS-1123 labels (got '" + SettingsReader.Shown(ns) + "')");
            }
        }

        if (string.IsNullOrWhiteSpace(IptablesCommand) || !IptablesCommand.StartsWith('/'))
        {
            errors.Add("ACGS_INJECT_IPTABLES_COMMAND: must be an absolute path inside the image (got '" + SettingsReader.Shown(IptablesCommand ?? string.Empty) + "')");
        }

        if (string.IsNullOrWhiteSpace(IdentityAudience) || IdentityAudience.Any(char.IsWhiteSpace))
        {
            errors.Add("ACGS_INJECT_IDENTITY_AUDIENCE: must be a non-empty audience without spaces");
        }

        var resources = Resources ?? new SidecarResources();
        CheckQuantity(errors, "ACGS_INJECT_CPU_REQUEST", resources.CpuRequest);
        CheckQuantity(errors, "ACGS_INJECT_MEMORY_REQUEST", resources.MemoryRequest);
        CheckQuantity(errors, "ACGS_INJECT_CPU_LIMIT", resources.CpuLimit);
        CheckQuantity(errors, "ACGS_INJECT_MEMORY_LIMIT", resources.MemoryLimit);
        CheckRequestWithinLimit(errors, "CPU", resources.CpuRequest, resources.CpuLimit);
        CheckRequestWithinLimit(errors, "memory", resources.MemoryRequest, resources.MemoryLimit);
        return errors;
    }

    /// <summary>
    /// Reads the settings from variables (<paramref name="getVariable"/>, e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>),
    /// unset ones keeping their defaults, and validates them. Returns false with every problem when invalid.
    /// </summary>
    public static bool TryRead(Func<string, string?> getVariable, out InjectionOptions options, out IReadOnlyList<string> errors)
    {
        var settings = new SettingsReader(getVariable);
        options = Read(settings);
        errors = settings.Problems;
        return settings.IsValid;
    }

    /// <summary>
    /// Reads the <c>ACGS_INJECT_*</c> settings through <paramref name="settings"/> (which collects every problem, with the
    /// other settings of the process) and validates them; an invalid value keeps its default.
    /// </summary>
    public static InjectionOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = new InjectionOptions();
        var result = d with
        {
            Image = settings.Text("ACGS_INJECT_IMAGE", d.Image),
            ImagePullPolicy = settings.Parse("ACGS_INJECT_IMAGE_PULL_POLICY", d.ImagePullPolicy, TryParsePullPolicy, "Always, IfNotPresent or Never"),
            ControlPlaneUrl = settings.HttpUrl("ACGS_INJECT_CONTROL_PLANE_URL", d.ControlPlaneUrl),
            ConstitutionalHash = settings.OptionalText("ACGS_INJECT_CONSTITUTIONAL_HASH") ?? settings.Text("CONSTITUTIONAL_HASH", d.ConstitutionalHash),
            MeshNamespace = settings.Parse("ACGS_INJECT_MESH_NAMESPACE", d.MeshNamespace, TryParseDnsLabel, "a DNS-1123 label (lowercase letters, digits, '-', at most 63)"),
            ExcludedNamespaces = settings.List("ACGS_INJECT_EXCLUDED_NAMESPACES", d.ExcludedNamespaces),
            IptablesCommand = settings.Text("ACGS_INJECT_IPTABLES_COMMAND", d.IptablesCommand),
            IdentityAudience = settings.Text("ACGS_INJECT_IDENTITY_AUDIENCE", d.IdentityAudience),
            Resources = new SidecarResources
            {
                CpuRequest = Quantity(settings.Raw("ACGS_INJECT_CPU_REQUEST"), d.Resources.CpuRequest),
                MemoryRequest = Quantity(settings.Raw("ACGS_INJECT_MEMORY_REQUEST"), d.Resources.MemoryRequest),
                CpuLimit = Quantity(settings.Raw("ACGS_INJECT_CPU_LIMIT"), d.Resources.CpuLimit),
                MemoryLimit = Quantity(settings.Raw("ACGS_INJECT_MEMORY_LIMIT"), d.Resources.MemoryLimit),
            },
        };
        foreach (var problem in result.Validate())
        {
            settings.ReportGeneral(problem);
        }

        return result;
    }

    /// <summary>The accepted hashes of <see cref="ConstitutionalHash"/>, normalised to <c>a,b</c>.</summary>
    internal string HashList => string.Join(',', SplitList(ConstitutionalHash));

    private static string[] SplitList(string? value) =>
        (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Quantity(string? value, string? fallback) =>
        value is null ? fallback : string.Equals(value, "none", StringComparison.OrdinalIgnoreCase) ? null : value;

    private static bool TryParsePullPolicy(string text, out string policy)
    {
        policy = text;
        return text is "Always" or "IfNotPresent" or "Never";
    }

    private static bool TryParseDnsLabel(string text, out string label)
    {
        label = text;
        return IsDnsLabel(text);
    }

    private static bool IsDnsLabel(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 63 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckQuantity(List<string> errors, string name, string? value)
    {
        if (value is not null && !TryParseQuantity(value, out _))
        {
            errors.Add(name + ": must be a Kubernetes quantity (e.g. 100m, 0.5, 128Mi, 1Gi) or 'none' (got '" + SettingsReader.Shown(value) + "')");
        }
    }

    private static void CheckRequestWithinLimit(List<string> errors, string what, string? request, string? limit)
    {
        if (request is not null && limit is not null && TryParseQuantity(request, out var r) && TryParseQuantity(limit, out var l) && r > l)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"the sidecar's {what} request {request} exceeds its limit {limit}"));
        }
    }

    private static bool TryParseQuantity(string value, out decimal amount)
    {
        amount = 0;
        if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsWhiteSpace) || value.StartsWith('-'))
        {
            return false;
        }

        try
        {
            amount = new ResourceQuantity(value).ToDecimal();
            return amount >= 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }
}
