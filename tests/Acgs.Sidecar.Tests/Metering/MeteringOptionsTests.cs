// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
using Acgs.Sidecar.Metering;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Tests.Metering;

/// <summary>The sidecar's metering settings (docs/metering.md#shipping): their defaults, a set value, a bad value, and what metering off leaves out.</summary>
public sealed class MeteringOptionsTests
{
    [Fact]
    public void Read_NoVariables_IntervalTenSecondsBufferHourOfWindowsMeteringOn()
    {
        var settings = new SettingsReader(static _ => null);

        var options = MeteringOptions.Read(settings);

        Assert.True(settings.IsValid);
        Assert.Equal((true, TimeSpan.FromSeconds(10), 360), (options.Enabled, options.Interval, options.BufferWindows));
    }

    [Fact]
    public void Read_IntervalSet_ThatManySeconds()
    {
        var settings = new SettingsReader(static name => name == "ACGS_METERING_INTERVAL" ? "3" : null);

        var options = MeteringOptions.Read(settings);

        Assert.True(settings.IsValid);
        Assert.Equal(TimeSpan.FromSeconds(3), options.Interval);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3601")]
    [InlineData("ten")]
    public void Read_IntervalOutOfRangeOrNotANumber_ProblemNamingTheVariable(string value)
    {
        var settings = new SettingsReader(name => name == "ACGS_METERING_INTERVAL" ? value : null);

        _ = MeteringOptions.Read(settings);

        Assert.False(settings.IsValid);
        Assert.Contains(settings.Problems, p => p.Contains("ACGS_METERING_INTERVAL", StringComparison.Ordinal));
    }

    [Fact]
    public void AddAcgsMetering_NoVariables_TenSecondIntervalAndInboundMeteringRegistered()
    {
        using var provider = new ServiceCollection().AddAcgsMetering(static _ => null).BuildServiceProvider();

        Assert.Equal(TimeSpan.FromSeconds(10), provider.GetRequiredService<MeteringOptions>().Interval);
        Assert.NotNull(provider.GetService<InboundMetering>());
    }

    [Fact]
    public void AddAcgsMetering_MeteringOff_NoInboundMeteringForTheTelemetryCallback()
    {
        using var provider = new ServiceCollection().AddAcgsMetering(static name => name == "ACGS_METERING" ? "false" : null).BuildServiceProvider();

        Assert.False(provider.GetRequiredService<MeteringOptions>().Enabled);
        Assert.Null(provider.GetService<InboundMetering>());
    }
}
