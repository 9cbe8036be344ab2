// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Telemetry;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Acgs.Sidecar.Tests.Resilience;

/// <summary>Breaker telemetry: the prometheus-net gauge and counters and the hash-prefixed log line.</summary>
public sealed class BreakerTelemetryTests
{
    [Fact]
    public async Task Metrics_TripAndRecover_GaugeTransitionsAndFailuresExported()
    {
        await using var upstream = await TestUpstream.StartAsync();
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("metrics");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 2, resetSeconds: 10));

        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        var text = await harness.ExportAsync();
        Assert.Contains($"acgs_circuit_state{{cluster=\"{cluster}\"}} 0", text, StringComparison.Ordinal);

        upstream.Respond(503);
        for (var i = 0; i < 3; i++)
        {
            using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
            {
            }
        }

        text = await harness.ExportAsync();
        Assert.Contains($"acgs_circuit_state{{cluster=\"{cluster}\"}} 2", text, StringComparison.Ordinal);
        Assert.Contains($"acgs_circuit_transitions_total{{cluster=\"{cluster}\",from=\"closed\",to=\"open\"}} 1", text, StringComparison.Ordinal);
        Assert.Contains($"acgs_upstream_failures_total{{cluster=\"{cluster}\",reason=\"status_5xx\"}} 2", text, StringComparison.Ordinal);
        Assert.Contains($"acgs_circuit_rejections_total{{cluster=\"{cluster}\"}} 1", text, StringComparison.Ordinal);

        harness.Time.Advance(TimeSpan.FromSeconds(10));
        upstream.Respond(200);
        using (await ResilienceHarness.GetAsync(client, upstream.BaseUri))
        {
        }

        text = await harness.ExportAsync();
        Assert.Contains($"acgs_circuit_state{{cluster=\"{cluster}\"}} 0", text, StringComparison.Ordinal);
        Assert.Contains($"acgs_circuit_transitions_total{{cluster=\"{cluster}\",from=\"open\",to=\"half_open\"}} 1", text, StringComparison.Ordinal);
        Assert.Contains($"acgs_circuit_transitions_total{{cluster=\"{cluster}\",from=\"half_open\",to=\"closed\"}} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_TransportTimeoutAndRetries_Counted()
    {
        using var harness = new ResilienceHarness();
        var cluster = ResilienceHarness.NewCluster("metrics-retry");
        var client = harness.Client(cluster, ResilienceHarness.Breaker(failMax: 100) with
        {
            Retry = new Sidecar.Resilience.RetrySettings { MaxAttempts = 3, BackoffBase = TimeSpan.Zero },
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => ResilienceHarness.GetAsync(client, TestUpstream.UnusedLoopbackUri()));

        var text = await harness.ExportAsync();
        Assert.Contains($"acgs_upstream_failures_total{{cluster=\"{cluster}\",reason=\"transport\"}} 3", text, StringComparison.Ordinal);
        Assert.Contains($"acgs_retries_total{{cluster=\"{cluster}\",result=\"sent\"}} 2", text, StringComparison.Ordinal);
        Assert.Contains($"acgs_retries_total{{cluster=\"{cluster}\",result=\"budget_exhausted\"}} 0", text, StringComparison.Ordinal);
    }

    [Fact]
    public void LogListener_Transition_LogsHashPrefixedLine()
    {
        var logger = new CapturingLogger();
        var breaker = new CircuitBreaker("log-cluster", new CircuitBreakerOptions { FailMax = 1 }, TimeProvider.System, [new BreakerLogListener(logger)]);

        breaker.Isolate();
        breaker.Reset();

        Assert.Equal(2, logger.Lines.Count);
        Assert.Equal(LogLevel.Warning, logger.Lines[0].Level);
        Assert.StartsWith(AcgsConstants.LogPrefix + " circuit log-cluster: Closed -> Open", logger.Lines[0].Message, StringComparison.Ordinal);
        Assert.Equal(LogLevel.Information, logger.Lines[1].Level);
        Assert.Equal(AcgsConstants.LogPrefix + " circuit log-cluster: Open -> Closed", logger.Lines[1].Message);
    }

    private sealed class CapturingLogger : ILogger<BreakerLogListener>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
