// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
using Acgs.Sidecar.Tracing;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

public sealed class TracingSettingsTests
{
    [Fact]
    public void Read_Unset_TracingOffParentBasedAlwaysOn()
    {
        var settings = SettingsReader.From(new Dictionary<string, string?>());

        var options = TracingOptions.Read(settings);

        Assert.False(options.Enabled);
        Assert.Equal(TraceSampler.ParentBasedAlwaysOn, options.Sampler);
        Assert.True(settings.IsValid);
    }

    [Fact]
    public void Read_StandardVariables_Parsed()
    {
        var settings = SettingsReader.From(new Dictionary<string, string?>
        {
            [TracingOptions.EndpointVariable] = "http://collector:4318",
            [TracingOptions.SamplerVariable] = "parentbased_traceidratio",
            [TracingOptions.SamplerArgVariable] = "0.01",
            [TracingOptions.ServiceNameVariable] = "checkout",
        });

        var options = TracingOptions.Read(settings);

        Assert.Equal(new TracingOptions(new Uri("http://collector:4318"), "checkout", TraceSampler.ParentBasedTraceIdRatio, 0.01), options);
        Assert.True(options.Enabled);
    }

    [Fact]
    public async Task CheckConfig_InvalidTracingSettings_ExitCode2AndOneLineEach()
    {
        var (exitCode, _, stderr) = await BuiltProgram.RunAsync(
            BuiltProgram.PathOf("dataplane/Acgs.Sidecar", "Acgs.Sidecar"),
            new Dictionary<string, string>
            {
                [TracingOptions.EndpointVariable] = "collector:4318",
                [TracingOptions.SamplerVariable] = "sometimes",
                [TracingOptions.SamplerArgVariable] = "2",
            },
            TimeSpan.FromSeconds(60),
            "--check-config");

        Assert.Equal(2, exitCode);
        Assert.Equal(
        [
            "acgs-sidecar: OTEL_EXPORTER_OTLP_ENDPOINT: must be an absolute http or https URL (got 'collector:4318')",
            "acgs-sidecar: OTEL_TRACES_SAMPLER: must be always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio (got 'sometimes')",
            "acgs-sidecar: OTEL_TRACES_SAMPLER_ARG: must be a number from 0 to 1 (got '2')",
        ], stderr);
    }
}
