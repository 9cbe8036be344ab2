// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Logging;
using Acgs.Core.Settings;
using Acgs.Sidecar.AccessLog;

namespace Acgs.Sidecar.Tests.AccessLog;

public sealed class AccessLogSettingsTests
{
    [Fact]
    public void Read_Unset_OffInTheLogFormat()
    {
        var settings = SettingsReader.From(new Dictionary<string, string?>());

        var options = AccessLogOptions.Read(settings, LogFormat.Json);

        Assert.False(options.Enabled);
        Assert.Equal(LogFormat.Json, options.Format);
        Assert.True(settings.IsValid);
    }

    [Fact]
    public void Read_FileSampleAndFormat_Parsed()
    {
        var settings = SettingsReader.From(new Dictionary<string, string?>
        {
            [AccessLogOptions.TargetVariable] = "/var/log/acgs/access.log",
            [AccessLogOptions.SampleVariable] = "0.1",
            [AccessLogOptions.FormatVariable] = "text",
        });

        var options = AccessLogOptions.Read(settings, LogFormat.Json);

        Assert.Equal(new AccessLogOptions("/var/log/acgs/access.log", 0.1, LogFormat.Text), options);
        Assert.True(settings.IsValid);
    }

    [Fact]
    public void Read_Stdout_Enabled()
    {
        var settings = SettingsReader.From(new Dictionary<string, string?> { [AccessLogOptions.TargetVariable] = "stdout" });

        Assert.Equal(AccessLogOptions.Stdout, AccessLogOptions.Read(settings, LogFormat.Text).Target);
    }

    [Fact]
    public void Read_InvalidValues_OneProblemEach()
    {
        var settings = SettingsReader.From(new Dictionary<string, string?>
        {
            [AccessLogOptions.TargetVariable] = "logs/access.log",
            [AccessLogOptions.SampleVariable] = "2",
            [AccessLogOptions.FormatVariable] = "xml",
        });

        _ = AccessLogOptions.Read(settings, LogFormat.Text);

        Assert.Equal(3, settings.Problems.Count);
        Assert.Contains(settings.Problems, static p => p.Contains(AccessLogOptions.TargetVariable, StringComparison.Ordinal));
        Assert.Contains(settings.Problems, static p => p.Contains(AccessLogOptions.SampleVariable, StringComparison.Ordinal));
        Assert.Contains(settings.Problems, static p => p.Contains(AccessLogOptions.FormatVariable, StringComparison.Ordinal));
    }
}
