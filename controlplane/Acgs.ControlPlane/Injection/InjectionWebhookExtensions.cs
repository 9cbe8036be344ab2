// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Injection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Injection;

/// <summary>Wires the sidecar-injection webhook into the control plane: one call on the builder, one on the app.</summary>
internal static class InjectionWebhookExtensions
{
    /// <summary>
    /// Reads <see cref="WebhookOptions"/> (throws listing every problem), registers the webhook's services and,
    /// when a certificate is configured, adds the TLS listener (default port 8443).
    /// </summary>
    public static WebApplicationBuilder AddInjectionWebhook(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!WebhookOptions.TryRead(builder.Configuration, out var options, out var errors))
        {
            throw new InvalidOperationException("Invalid injection webhook settings: " + string.Join("; ", errors));
        }

        return builder.AddInjectionWebhook(options);
    }

    /// <summary>Registers the webhook's services with <paramref name="options"/> (already validated) and, when a certificate is configured, adds the TLS listener.</summary>
    public static WebApplicationBuilder AddInjectionWebhook(this WebApplicationBuilder builder, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new PodPatchBuilder(options.Injection));
        builder.Services.AddSingleton<AdmissionReviewHandler>();
        builder.Services.AddSingleton<InjectionMetrics>();
        if (options.ListenerEnabled)
        {
            builder.Services.AddSingleton(static sp =>
            {
                var settings = sp.GetRequiredService<WebhookOptions>();
                try
                {
                    return new WebhookCertificate(settings.CertificatePath!, settings.KeyPath!, settings.CertificateReloadInterval,
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Acgs.ControlPlane.Injection"));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    throw new InvalidOperationException(
                        "ACGS_WEBHOOK_CERT/ACGS_WEBHOOK_KEY: cannot load a certificate and private key from '" + settings.CertificatePath + "' and '" + settings.KeyPath + "' (PEM expected): " + e.Message, e);
                }
            });
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                void Configure(ListenOptions listen)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificateSelector = (_, _) => kestrel.ApplicationServices.GetRequiredService<WebhookCertificate>().Current,
                    });
                    listen.Use(static next => connection =>
                    {
                        connection.Items[InjectionEndpoints.ListenerItem] = true;
                        return next(connection);
                    });
                }

                switch (options.BindAddress)
                {
                    case "*":
                        kestrel.ListenAnyIP(options.Port, Configure);
                        break;
                    case "localhost":
                        kestrel.ListenLocalhost(options.Port, Configure);
                        break;
                    default:
                        kestrel.Listen(IPAddress.Parse(options.BindAddress), options.Port, Configure);
                        break;
                }
            });
        }

        return builder;
    }

    /// <summary>Maps <c>POST /inject</c> and <c>POST /inject/namespace-enabled</c> and logs whether the webhook listener is on.</summary>
    public static WebApplication MapInjectionWebhook(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapInjectionEndpoints();
        var options = app.Services.GetRequiredService<WebhookOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Acgs.ControlPlane.Injection");
        if (options.ListenerEnabled)
        {
            var certificate = app.Services.GetRequiredService<WebhookCertificate>().Current;
            InjectionLog.ListenerOn(logger, options.BindAddress, options.Port, certificate.Subject, certificate.NotAfter.ToUniversalTime());
        }
        else
        {
            InjectionLog.ListenerOff(logger, options.ServeOnApiPort ? "" : "; POST /inject is not served (set them, or ACGS_WEBHOOK_ON_API_PORT=true for plain HTTP on the API port)");
        }

        if (options.ServeOnApiPort)
        {
            InjectionLog.ServedOnApiPort(logger);
        }

        return app;
    }
}
