// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Hosting;
using Acgs.ControlPlane.Tracing;
using Acgs.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Acgs.ControlPlane.Tests.Tracing;

/// <summary>The control plane's OTEL_* settings: off registers nothing, bad values are one line each and exit code 2.</summary>
public sealed class ControlPlaneTracingSettingsTests
{
    [Fact]
    public async Task Build_NoEndpoint_NoTracerProviderAndDefaults()
    {
        var data = ControlPlaneHost.NewDataDirectory();
        await using var app = ControlPlaneApplication.Build([], configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ACGS_DATA_DIR"] = data }));

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Equal(new ControlPlaneTracingOptions(null, "acgs-controlplane", 3, 1.0), app.Services.GetRequiredService<ControlPlaneTracingOptions>());
    }

    [Fact]
    public async Task Start_BadTracingValues_ExitCode2OneLineEach()
    {
        var (exitCode, stdout, stderr) = await BuiltProgram.RunAsync(
            BuiltProgram.PathOf("controlplane/Acgs.ControlPlane", "Acgs.ControlPlane"),
            new Dictionary<string, string> { ["OTEL_TRACES_SAMPLER"] = "sometimes", ["OTEL_TRACES_SAMPLER_ARG"] = "2", ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4318" },
            TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Equal(3, stderr.Count);
        Assert.All(stderr, line => Assert.StartsWith("acgs-control-plane: OTEL_", line, StringComparison.Ordinal));
        Assert.Empty(stdout);
    }
}
