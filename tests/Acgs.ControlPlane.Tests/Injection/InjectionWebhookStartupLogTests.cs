// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Injection;
using Acgs.ControlPlane.Telemetry;
using Acgs.ControlPlane.Tests.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.ControlPlane.Tests.Injection;

public sealed class InjectionWebhookStartupLogTests
{
    [Fact]
    public async Task MapInjectionWebhook_NoCertificate_LogsListenerOff()
    {
        var lines = await StartupLogAsync(new Dictionary<string, string?>());

        Assert.Contains(lines, static l => l.Contains("injection webhook listener off: ACGS_WEBHOOK_CERT and ACGS_WEBHOOK_KEY are not set; POST /inject is not served", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, static l => l.Contains("listening on https://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MapInjectionWebhook_Certificate_LogsListenerAddressAndSubject()
    {
        using var certificate = TestCertificate.Create("CN=webhook-log-test");

        var lines = await StartupLogAsync(new Dictionary<string, string?>
        {
            ["ACGS_WEBHOOK_CERT"] = certificate.CertificatePath,
            ["ACGS_WEBHOOK_KEY"] = certificate.KeyPath,
            ["ACGS_WEBHOOK_PORT"] = "0",
            ["ACGS_WEBHOOK_BIND"] = "127.0.0.1",
        });

        Assert.Contains(lines, static l => l.Contains("injection webhook listening on https://127.0.0.1:0", StringComparison.Ordinal) && l.Contains("CN=webhook-log-test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MapInjectionWebhook_ServedOnApiPort_WarnsAboutIt()
    {
        var lines = await StartupLogAsync(new Dictionary<string, string?> { ["ACGS_WEBHOOK_ON_API_PORT"] = "true" });

        Assert.Contains(lines, static l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("plain-HTTP API port", StringComparison.Ordinal));
    }

    private static async Task<List<string>> StartupLogAsync(Dictionary<string, string?> settings)
    {
        var provider = new CapturingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(provider);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ControlPlaneMetrics>();
        builder.AddInjectionWebhook();
        await using var app = builder.Build();

        app.MapInjectionWebhook();

        return [.. provider.Lines];
    }
}
