// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
using Acgs.Injection;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Injection;

/// <summary>
/// Settings of the sidecar-injection admission webhook. Each has an environment variable and a config-file key
/// (<c>ControlPlane:Webhook...</c>); the variable wins. The webhook listener is on only when a certificate and key are set.
/// </summary>
internal sealed record WebhookOptions
{
    /// <summary>PEM certificate (chain) of the webhook listener (<c>ACGS_WEBHOOK_CERT</c>, <c>ControlPlane:WebhookCert</c>). Null = listener off.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>PEM private key of <see cref="CertificatePath"/> (<c>ACGS_WEBHOOK_KEY</c>, <c>ControlPlane:WebhookKey</c>).</summary>
    public string? KeyPath { get; init; }

    /// <summary>TLS port (<c>ACGS_WEBHOOK_PORT</c>, <c>ControlPlane:WebhookPort</c>). Default 8443; 0 = any free port.</summary>
    public int Port { get; init; } = 8443;

    /// <summary>Bind address (<c>ACGS_WEBHOOK_BIND</c>, <c>ControlPlane:WebhookBind</c>): an IP, <c>localhost</c> or <c>*</c>. Default <c>0.0.0.0</c>.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>
    /// Also answer <c>POST /inject</c> on the plain-HTTP API port (<c>ACGS_WEBHOOK_ON_API_PORT</c>, a boolean).
    /// Default false: Kubernetes only calls webhooks over TLS, so plain HTTP is for local tools and tests.
    /// </summary>
    public bool ServeOnApiPort { get; init; }

    /// <summary>How often the certificate files are checked for rotation (<c>ACGS_WEBHOOK_CERT_RELOAD_SECONDS</c>). Default 60 s.</summary>
    public TimeSpan CertificateReloadInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What gets injected (the <c>ACGS_INJECT_*</c> variables).</summary>
    public InjectionOptions Injection { get; init; } = new();

    /// <summary>True when the TLS listener is configured.</summary>
    public bool ListenerEnabled => CertificatePath is not null;

    /// <summary>The config-file key of each variable (the variable wins).</summary>
    public static IReadOnlyList<(string Variable, string Key)> FileKeys { get; } =
    [
        ("ACGS_WEBHOOK_CERT", "ControlPlane:WebhookCert"), ("ACGS_WEBHOOK_KEY", "ControlPlane:WebhookKey"),
        ("ACGS_WEBHOOK_PORT", "ControlPlane:WebhookPort"), ("ACGS_WEBHOOK_BIND", "ControlPlane:WebhookBind"),
        ("ACGS_WEBHOOK_ON_API_PORT", "ControlPlane:WebhookOnApiPort"), ("ACGS_WEBHOOK_CERT_RELOAD_SECONDS", "ControlPlane:WebhookCertReloadSeconds"),
    ];

    /// <summary>Reads every setting from <paramref name="configuration"/>, reporting every problem at once (missing files included).</summary>
    public static bool TryRead(IConfiguration configuration, out WebhookOptions options, out IReadOnlyList<string> errors)
    {
        var settings = Hosting.ConfigurationSettings.Reader(configuration, FileKeys);
        options = Read(settings);
        errors = settings.Problems;
        return settings.IsValid;
    }

    /// <summary>Reads every setting (and the <c>ACGS_INJECT_*</c> ones) through <paramref name="settings"/>, which collects the problems.</summary>
    public static WebhookOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = new WebhookOptions();
        var result = d with
        {
            CertificatePath = settings.OptionalText("ACGS_WEBHOOK_CERT"),
            KeyPath = settings.OptionalText("ACGS_WEBHOOK_KEY"),
        };
        if ((result.CertificatePath is null) != (result.KeyPath is null))
        {
            settings.ReportGeneral("ACGS_WEBHOOK_CERT and ACGS_WEBHOOK_KEY must be set together (PEM certificate and private key)");
        }
        else if (result.CertificatePath is not null)
        {
            foreach (var (name, path) in new[] { ("ACGS_WEBHOOK_CERT", result.CertificatePath), ("ACGS_WEBHOOK_KEY", result.KeyPath!) })
            {
                if (!File.Exists(path))
                {
                    settings.Report(name, "file '" + SettingsReader.Shown(path) + "' does not exist");
                }
            }

            if (File.Exists(result.CertificatePath) && File.Exists(result.KeyPath))
            {
                CheckPem(result.CertificatePath, result.KeyPath!, settings);
            }
        }

        return result with
        {
            Port = settings.Port("ACGS_WEBHOOK_PORT", d.Port),
            BindAddress = settings.ListenAddress("ACGS_WEBHOOK_BIND", d.BindAddress),
            ServeOnApiPort = settings.Bool("ACGS_WEBHOOK_ON_API_PORT", d.ServeOnApiPort),
            CertificateReloadInterval = settings.Seconds("ACGS_WEBHOOK_CERT_RELOAD_SECONDS", d.CertificateReloadInterval, 1, 86_400),
            Injection = InjectionOptions.Read(settings),
        };
    }

    private static void CheckPem(string certificatePath, string keyPath, SettingsReader settings)
    {
        try
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            settings.ReportGeneral("ACGS_WEBHOOK_CERT/ACGS_WEBHOOK_KEY: cannot load a certificate and private key from '" + SettingsReader.Shown(certificatePath)
                + "' and '" + SettingsReader.Shown(keyPath) + "' (PEM expected): " + e.Message);
        }
    }
}
