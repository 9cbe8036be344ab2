// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
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
    /// Also answer <c>POST /inject</c> on the plain-HTTP API port (<c>ACGS_WEBHOOK_ON_API_PORT</c>, <c>true</c>/<c>false</c>).
    /// Default false: Kubernetes only calls webhooks over TLS, so plain HTTP is for local tools and tests.
    /// </summary>
    public bool ServeOnApiPort { get; init; }

    /// <summary>How often the certificate files are checked for rotation (<c>ACGS_WEBHOOK_CERT_RELOAD_SECONDS</c>). Default 60 s.</summary>
    public TimeSpan CertificateReloadInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>What gets injected (the <c>ACGS_INJECT_*</c> variables).</summary>
    public InjectionOptions Injection { get; init; } = new();

    /// <summary>True when the TLS listener is configured.</summary>
    public bool ListenerEnabled => CertificatePath is not null;

    /// <summary>Reads every setting, reporting every problem at once (missing files included).</summary>
    public static bool TryRead(IConfiguration configuration, out WebhookOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Get(string variable, string key)
        {
            var value = configuration[variable];
            value = string.IsNullOrWhiteSpace(value) ? configuration["ControlPlane:" + key] : value;
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var problems = new List<string>();
        var result = new WebhookOptions
        {
            CertificatePath = Get("ACGS_WEBHOOK_CERT", "WebhookCert"),
            KeyPath = Get("ACGS_WEBHOOK_KEY", "WebhookKey"),
        };
        if ((result.CertificatePath is null) != (result.KeyPath is null))
        {
            problems.Add("ACGS_WEBHOOK_CERT and ACGS_WEBHOOK_KEY must be set together (PEM certificate and private key)");
        }
        else if (result.CertificatePath is not null)
        {
            foreach (var (name, path) in new[] { ("ACGS_WEBHOOK_CERT", result.CertificatePath), ("ACGS_WEBHOOK_KEY", result.KeyPath!) })
            {
                if (!File.Exists(path))
                {
                    problems.Add(name + ": file '" + path + "' does not exist");
                }
            }
        }

        if (Get("ACGS_WEBHOOK_PORT", "WebhookPort") is { } port)
        {
            if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 65535)
            {
                result = result with { Port = value };
            }
            else
            {
                problems.Add("ACGS_WEBHOOK_PORT must be a port number 0-65535");
            }
        }

        if (Get("ACGS_WEBHOOK_BIND", "WebhookBind") is { } bind)
        {
            if (bind is "*" or "localhost" || IPAddress.TryParse(bind, out _))
            {
                result = result with { BindAddress = bind };
            }
            else
            {
                problems.Add("ACGS_WEBHOOK_BIND must be an IP address, 'localhost' or '*'");
            }
        }

        if (Get("ACGS_WEBHOOK_ON_API_PORT", "WebhookOnApiPort") is { } onApi)
        {
            if (bool.TryParse(onApi, out var value))
            {
                result = result with { ServeOnApiPort = value };
            }
            else
            {
                problems.Add("ACGS_WEBHOOK_ON_API_PORT must be true or false");
            }
        }

        if (Get("ACGS_WEBHOOK_CERT_RELOAD_SECONDS", "WebhookCertReloadSeconds") is { } reload)
        {
            if (double.TryParse(reload, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 86_400)
            {
                result = result with { CertificateReloadInterval = TimeSpan.FromSeconds(seconds) };
            }
            else
            {
                problems.Add("ACGS_WEBHOOK_CERT_RELOAD_SECONDS must be a number of seconds between 1 and 86400");
            }
        }

        if (InjectionOptions.TryRead(name => configuration[name], out var injection, out var injectionErrors))
        {
            result = result with { Injection = injection };
        }
        else
        {
            problems.AddRange(injectionErrors);
        }

        options = result;
        errors = problems;
        return problems.Count == 0;
    }
}
