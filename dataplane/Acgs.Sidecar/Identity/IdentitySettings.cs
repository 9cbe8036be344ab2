// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Identity;

/// <summary>
/// Workload identity settings. Identity is on when <c>ACGS_CONTROL_PLANE_URL</c> and a bootstrap credential are set:
/// <c>ACGS_JOIN_TOKEN</c> or <c>ACGS_JOIN_TOKEN_FILE</c> (outside Kubernetes) or <c>ACGS_IDENTITY_TOKEN_FILE</c> (a
/// projected ServiceAccount token, re-read at every request because the kubelet rotates it). <c>ACGS_IDENTITY=off</c>
/// turns it off; <c>ACGS_IDENTITY=on</c> without a credential is an error. Secrets are never printed.
/// </summary>
internal sealed record IdentitySettings
{
    /// <summary>Identity is off.</summary>
    public static IdentitySettings Disabled { get; } = new();

    /// <summary>True when the sidecar obtains a workload certificate.</summary>
    public bool Enabled { get; init; }

    /// <summary>The control plane's base URL.</summary>
    public Uri? ControlPlaneUrl { get; init; }

    /// <summary>The service this sidecar fronts (sent as the expected service with a join token).</summary>
    public string ServiceName { get; init; } = string.Empty;

    /// <summary>
    /// This sidecar's node id (<c>ACGS_NODE_ID</c>, default the host name, as the control-plane client's), sent with every
    /// certificate request so the control-plane token is for this node.
    /// </summary>
    public string? NodeId { get; init; }

    /// <summary>A join token given inline (<c>ACGS_JOIN_TOKEN</c>).</summary>
    public string? JoinToken { get; init; }

    /// <summary>A file holding the join token (<c>ACGS_JOIN_TOKEN_FILE</c>).</summary>
    public string? JoinTokenFile { get; init; }

    /// <summary>The projected ServiceAccount token file (<c>ACGS_IDENTITY_TOKEN_FILE</c>).</summary>
    public string? KubernetesTokenFile { get; init; }

    /// <summary>First retry delay after a failed request (<c>ACGS_CONTROL_PLANE_BACKOFF_MIN_MS</c>). Default 500 ms.</summary>
    public TimeSpan BackoffMin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest retry delay (<c>ACGS_CONTROL_PLANE_BACKOFF_MAX_MS</c>). Default 30 s.</summary>
    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads the settings; reports every problem.</summary>
    public static IdentitySettings Read(Func<string, string?> getVariable, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        ArgumentNullException.ThrowIfNull(errors);
        string? Get(string name) => getVariable(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var mode = Get("ACGS_IDENTITY")?.ToLowerInvariant();
        if (mode is not (null or "on" or "off" or "auto"))
        {
            errors.Add("ACGS_IDENTITY must be on, off or auto");
            return Disabled;
        }

        var settings = new IdentitySettings
        {
            JoinToken = Get("ACGS_JOIN_TOKEN"),
            JoinTokenFile = Get("ACGS_JOIN_TOKEN_FILE"),
            KubernetesTokenFile = Get("ACGS_IDENTITY_TOKEN_FILE"),
            ServiceName = Get("ACGS_SERVICE_NAME") ?? string.Empty,
            NodeId = Get("ACGS_NODE_ID") ?? Environment.MachineName.ToLowerInvariant(),
        };
        var credentials = (settings.JoinToken is null ? 0 : 1) + (settings.JoinTokenFile is null ? 0 : 1) + (settings.KubernetesTokenFile is null ? 0 : 1);
        if (mode == "off" || (mode is null or "auto" && credentials == 0))
        {
            return Disabled;
        }

        if (credentials != 1)
        {
            errors.Add("identity needs exactly one of ACGS_JOIN_TOKEN, ACGS_JOIN_TOKEN_FILE and ACGS_IDENTITY_TOKEN_FILE");
        }

        if (Get("ACGS_CONTROL_PLANE_URL") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add("identity needs ACGS_CONTROL_PLANE_URL (an absolute http(s) URL)");
            return Disabled;
        }

        return settings with
        {
            Enabled = true,
            ControlPlaneUrl = uri,
            BackoffMin = Milliseconds(Get("ACGS_CONTROL_PLANE_BACKOFF_MIN_MS"), settings.BackoffMin),
            BackoffMax = Milliseconds(Get("ACGS_CONTROL_PLANE_BACKOFF_MAX_MS"), settings.BackoffMax),
        };
    }

    /// <summary>The settings without secrets.</summary>
    public override string ToString() =>
        $"IdentitySettings {{ Enabled = {Enabled}, ControlPlane = {ControlPlaneUrl}, Credential = {(JoinToken is not null ? "join token" : JoinTokenFile is not null ? "join token file" : KubernetesTokenFile is not null ? "ServiceAccount token file" : "none")} }}";

    // Invalid values are reported by the control-plane client's own settings reader; here they keep the default.
    private static TimeSpan Milliseconds(string? text, TimeSpan fallback) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms) : fallback;
}
