// Constitutional Hash: cdd01ef066bc6cf2

using System.Diagnostics;
using System.Text.Json;
using Acgs.Core.Logging;
using Acgs.Core.Settings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Core.Tests.Logging;

public sealed class JsonLineFormatterTests
{
    [Fact]
    public void Write_WithCurrentActivity_OneLineWithTraceAndSpanIds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 15, 4, 5, 678, TimeSpan.Zero));
        var formatter = new JsonLineFormatter(time);
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        var writer = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Warning, "Acgs.Test", new EventId(42, "Named"), "multi\nline", new InvalidOperationException("boom"), static (s, _) => s);

        formatter.Write(in entry, null, writer);

        var text = writer.ToString();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("2026-12-06T15:04:05.678Z", root.GetProperty("timestamp").GetString());
        Assert.Equal("warning", root.GetProperty("level").GetString());
        Assert.Equal("Acgs.Test", root.GetProperty("category").GetString());
        Assert.Equal(42, root.GetProperty("event_id").GetInt32());
        Assert.Equal("Named", root.GetProperty("event_name").GetString());
        Assert.Equal("multi\nline", root.GetProperty("message").GetString());
        Assert.Equal(activity.TraceId.ToHexString(), root.GetProperty("trace_id").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), root.GetProperty("span_id").GetString());
        Assert.Contains("boom", root.GetProperty("exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NoActivity_NoTraceFields()
    {
        Activity.Current = null;
        var formatter = new JsonLineFormatter(TimeProvider.System);
        var writer = new StringWriter();
        var entry = new LogEntry<string>(LogLevel.Information, "c", default, "m", null, static (s, _) => s);

        formatter.Write(in entry, null, writer);

        using var json = JsonDocument.Parse(writer.ToString());
        Assert.False(json.RootElement.TryGetProperty("trace_id", out _));
    }

    [Theory]
    [InlineData(null, null, LogFormat.Text)]
    [InlineData(null, "true", LogFormat.Json)]
    [InlineData("text", "true", LogFormat.Text)]
    [InlineData("JSON", null, LogFormat.Json)]
    public void ReadFormat_SettingAndContainer_ChosenFormat(string? format, string? container, LogFormat expected)
    {
        var settings = SettingsReader.From(new Dictionary<string, string?> { [LogSettings.FormatVariable] = format, [LogSettings.ContainerVariable] = container });

        Assert.Equal(expected, LogSettings.ReadFormat(settings));
        Assert.True(settings.IsValid);
    }

    [Fact]
    public void ReadFormat_Invalid_OneProblem()
    {
        var settings = SettingsReader.From(new Dictionary<string, string?> { [LogSettings.FormatVariable] = "xml" });

        Assert.Equal(LogFormat.Text, LogSettings.ReadFormat(settings));
        Assert.Equal(["ACGS_LOG_FORMAT: must be text or json (got 'xml')"], settings.Problems);
    }
}
