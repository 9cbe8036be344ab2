// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Injection;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Tests.Injection;

public sealed class WebhookOptionsTests
{
    [Fact]
    public void TryRead_NothingSet_ListenerOffOnPort8443()
    {
        Assert.True(WebhookOptions.TryRead(Config(new()), out var options, out var errors), string.Join("; ", errors));

        Assert.False(options.ListenerEnabled);
        Assert.Equal(8443, options.Port);
        Assert.False(options.ServeOnApiPort);
    }

    [Fact]
    public void TryRead_ManyProblems_ReportsAllAtOnce()
    {
        var settings = new Dictionary<string, string?>
        {
            ["ACGS_WEBHOOK_CERT"] = "/nonexistent/tls.crt",
            ["ACGS_WEBHOOK_KEY"] = "/nonexistent/tls.key",
            ["ACGS_WEBHOOK_BIND"] = "everywhere",
            ["ACGS_WEBHOOK_ON_API_PORT"] = "maybe",
            ["ACGS_WEBHOOK_CERT_RELOAD_SECONDS"] = "0",
            ["ACGS_INJECT_CONTROL_PLANE_URL"] = "not a url",
        };

        Assert.False(WebhookOptions.TryRead(Config(settings), out _, out var errors));

        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, static e => e.Contains("'/nonexistent/tls.crt' does not exist", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Contains("'/nonexistent/tls.key' does not exist", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.StartsWith("ACGS_WEBHOOK_BIND", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.StartsWith("ACGS_WEBHOOK_ON_API_PORT", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.StartsWith("ACGS_WEBHOOK_CERT_RELOAD_SECONDS", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.StartsWith("ACGS_INJECT_CONTROL_PLANE_URL", StringComparison.Ordinal));
    }

    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
