// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Hosting;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Tests.Hosting;

/// <summary>The health-aggregation settings of <see cref="ControlPlaneOptions.TryRead"/>.</summary>
public sealed class ControlPlaneOptionsHealthTests
{
    private static (bool Ok, ControlPlaneOptions Options, IReadOnlyList<string> Errors) Read(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var ok = ControlPlaneOptions.TryRead(configuration, out var options, out var errors);
        return (ok, options, errors);
    }

    [Fact]
    public void TryRead_HealthForgetUnset_NullMeaningSixtyIntervals()
    {
        var (ok, options, errors) = Read();

        Assert.True(ok, string.Join("; ", errors));
        Assert.Null(options.HealthForgetAfter);
    }

    [Theory]
    [InlineData("120", null, 120.0)]
    [InlineData("1.5", "400", 1.5)]
    [InlineData("31", "10000", 31.0)]
    public void TryRead_HealthForgetSeconds_Parsed(string seconds, string? reportMs, double expected)
    {
        var settings = new List<(string, string)> { ("ACGS_HEALTH_FORGET_SECONDS", seconds) };
        if (reportMs is not null)
        {
            settings.Add(("ACGS_HEALTH_REPORT_MS", reportMs));
        }

        var (ok, options, errors) = Read([.. settings]);

        Assert.True(ok, string.Join("; ", errors));
        Assert.Equal(TimeSpan.FromSeconds(expected), options.HealthForgetAfter);
    }

    [Fact]
    public void TryRead_HealthForgetConfigKey_Parsed()
    {
        var (ok, options, _) = Read(("ControlPlane:HealthForgetSeconds", "90"));

        Assert.True(ok);
        Assert.Equal(TimeSpan.FromSeconds(90), options.HealthForgetAfter);
    }

    [Theory]
    [InlineData("30", "10000")]
    [InlineData("15", null)]
    [InlineData("10", null)]
    public void TryRead_HealthForgetNotAboveSilenceLimit_ErrorReported(string seconds, string? reportMs)
    {
        var settings = new List<(string, string)> { ("ACGS_HEALTH_FORGET_SECONDS", seconds) };
        if (reportMs is not null)
        {
            settings.Add(("ACGS_HEALTH_REPORT_MS", reportMs));
        }

        var (ok, _, errors) = Read([.. settings]);

        Assert.False(ok);
        Assert.Contains("longer than 3 health report intervals", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.5")]
    [InlineData("86401")]
    [InlineData("soon")]
    [InlineData("NaN")]
    public void TryRead_HealthForgetOutOfRange_ErrorReported(string seconds)
    {
        var (ok, _, errors) = Read(("ACGS_HEALTH_FORGET_SECONDS", seconds));

        Assert.False(ok);
        Assert.StartsWith("ACGS_HEALTH_FORGET_SECONDS: must be a number of seconds from 1 to 86400", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_BadReportIntervalAndForget_OnlyTheirOwnErrors()
    {
        var (ok, _, errors) = Read(("ACGS_HEALTH_REPORT_MS", "fast"), ("ACGS_HEALTH_FORGET_SECONDS", "10"));

        Assert.False(ok);
        Assert.StartsWith("ACGS_HEALTH_REPORT_MS", Assert.Single(errors), StringComparison.Ordinal);
    }
}
