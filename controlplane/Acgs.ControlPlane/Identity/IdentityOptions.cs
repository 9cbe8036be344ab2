// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Identity;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Identity;

/// <summary>
/// Settings of the certificate authority. Each has an environment variable and a config-file key
/// (<c>ControlPlane:Identity:&lt;Key&gt;</c>); the variable wins. <see cref="TryRead"/> reports every problem at once.
/// </summary>
internal sealed record IdentityOptions
{
    /// <summary>Default certificate lifetime.</summary>
    public static readonly TimeSpan DefaultCertificateTtl = TimeSpan.FromHours(24);

    /// <summary>SPIFFE trust domain (<c>ACGS_TRUST_DOMAIN</c>). Default <c>acgs.local</c>.</summary>
    public string TrustDomain { get; init; } = "acgs.local";

    /// <summary>Workload certificate lifetime (<c>ACGS_CERT_TTL</c>: <c>24h</c>, <c>30m</c>, <c>90s</c> or seconds; 10 s–30 days). Default 24 h.</summary>
    public TimeSpan CertificateTtl { get; init; } = DefaultCertificateTtl;

    /// <summary>How far <c>notBefore</c> is back-dated for clock skew (fixed).</summary>
    public TimeSpan Backdate { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Issuer certificate PEM file (<c>ACGS_CA_CERT</c>; may hold intermediates after it). Null = the stored, generated CA.</summary>
    public string? CaCertificatePath { get; init; }

    /// <summary>Issuer private key PEM file (<c>ACGS_CA_KEY</c>); set together with <see cref="CaCertificatePath"/>.</summary>
    public string? CaKeyPath { get; init; }

    /// <summary>Extra trust anchors PEM file (<c>ACGS_TRUST_ANCHORS</c>): a second anchor during a CA rotation, or the root of an intermediate issuer.</summary>
    public string? TrustAnchorsPath { get; init; }

    /// <summary>Default join-token lifetime (<c>ACGS_JOIN_TOKEN_TTL</c>, seconds 1–2592000). Default 1 h.</summary>
    public TimeSpan JoinTokenTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Kubernetes API for TokenReviews (<c>ACGS_KUBERNETES_API</c>): a URL, or <c>in-cluster</c>. Null = the Kubernetes credential is refused.</summary>
    public string? KubernetesApi { get; init; }

    /// <summary>Bearer token file for <see cref="KubernetesApi"/> when it is a URL (<c>ACGS_KUBERNETES_API_TOKEN_FILE</c>).</summary>
    public string? KubernetesApiTokenFile { get; init; }

    /// <summary>Audience the projected ServiceAccount tokens must carry (<c>ACGS_IDENTITY_AUDIENCE</c>). Default <c>acgs-identity</c>.</summary>
    public string Audience { get; init; } = "acgs-identity";

    /// <summary>Reads every setting, reporting every problem at once.</summary>
    public static bool TryRead(IConfiguration configuration, out IdentityOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Get(string variable, string key)
        {
            var value = configuration[variable];
            value = string.IsNullOrWhiteSpace(value) ? configuration["ControlPlane:Identity:" + key] : value;
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var problems = new List<string>();
        var result = new IdentityOptions
        {
            CaCertificatePath = Get("ACGS_CA_CERT", "CaCert"),
            CaKeyPath = Get("ACGS_CA_KEY", "CaKey"),
            TrustAnchorsPath = Get("ACGS_TRUST_ANCHORS", "TrustAnchors"),
            KubernetesApi = Get("ACGS_KUBERNETES_API", "KubernetesApi"),
            KubernetesApiTokenFile = Get("ACGS_KUBERNETES_API_TOKEN_FILE", "KubernetesApiTokenFile"),
        };
        if (Get("ACGS_TRUST_DOMAIN", "TrustDomain") is { } domain)
        {
            if (SpiffeId.IsValidTrustDomain(domain))
            {
                result = result with { TrustDomain = domain };
            }
            else
            {
                problems.Add("ACGS_TRUST_DOMAIN must be 1-255 lowercase letters, digits, '.', '-' or '_'");
            }
        }

        if (Get("ACGS_CERT_TTL", "CertTtl") is { } ttl)
        {
            if (TryParseDuration(ttl, out var value) && value >= TimeSpan.FromSeconds(10) && value <= TimeSpan.FromDays(30))
            {
                result = result with { CertificateTtl = value };
            }
            else
            {
                problems.Add("ACGS_CERT_TTL must be a duration between 10s and 30 days, e.g. 24h, 30m, 90s or a number of seconds");
            }
        }

        if (Get("ACGS_JOIN_TOKEN_TTL", "JoinTokenTtl") is { } joinTtl)
        {
            if (int.TryParse(joinTtl, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= JoinTokenPolicy.MaxTtlSeconds)
            {
                result = result with { JoinTokenTtl = TimeSpan.FromSeconds(seconds) };
            }
            else
            {
                problems.Add($"ACGS_JOIN_TOKEN_TTL must be a number of seconds between 1 and {JoinTokenPolicy.MaxTtlSeconds}");
            }
        }

        if (Get("ACGS_IDENTITY_AUDIENCE", "Audience") is { } audience)
        {
            result = result with { Audience = audience };
        }

        if ((result.CaCertificatePath is null) != (result.CaKeyPath is null))
        {
            problems.Add("ACGS_CA_CERT and ACGS_CA_KEY must be set together (or neither, for the generated CA)");
        }

        if (result.KubernetesApi is { } api && api != "in-cluster"
            && !(Uri.TryCreate(api, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            problems.Add("ACGS_KUBERNETES_API must be an http(s) URL or 'in-cluster'");
        }

        options = result;
        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>Parses <c>24h</c>, <c>30m</c>, <c>90s</c> or a plain number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var (number, unit) = text[^1] switch
        {
            'h' => (text[..^1], 3600d),
            'm' => (text[..^1], 60d),
            's' => (text[..^1], 1d),
            _ => (text, 1d),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || !double.IsFinite(amount) || amount <= 0 || amount > 1e9)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }
}
