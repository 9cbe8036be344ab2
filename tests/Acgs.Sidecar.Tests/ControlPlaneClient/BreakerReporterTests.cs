// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>The breaker-state health report: body, path, token, period, backoff and shutdown, against a real Kestrel listener.</summary>
public sealed class BreakerReporterTests
{
    /// <summary>A Kestrel endpoint recording health reports (answers <see cref="Status"/>).</summary>
    private sealed class HealthSink : IAsyncDisposable
    {
        private KestrelTestServer _server = null!;

        public Uri Address => _server.BaseUri;

        public int Status { get; set; } = StatusCodes.Status204NoContent;

        public ConcurrentQueue<(string Path, string? Authorization, JsonObject Body)> Reports { get; } = new();

        /// <summary>DELETE requests (deregistrations), answered <see cref="DeleteStatus"/>.</summary>
        public ConcurrentQueue<(string Path, string? Authorization)> Deletes { get; } = new();

        /// <summary>Every request's method, in arrival order.</summary>
        public ConcurrentQueue<string> Methods { get; } = new();

        public int DeleteStatus { get; set; } = StatusCodes.Status204NoContent;

        /// <summary>When set, a DELETE is recorded, signals <see cref="DeleteArrived"/> and never answers (until the client gives up).</summary>
        public bool HangDelete { get; set; }

        public TaskCompletionSource DeleteArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When set, a PUT signals <see cref="PutArrived"/> and is recorded and answered only once <see cref="PutReleased"/> completes.</summary>
        public bool HoldPuts { get; set; }

        public TaskCompletionSource PutArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource PutReleased { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public static async Task<HealthSink> StartAsync()
        {
            var sink = new HealthSink();
            sink._server = await KestrelTestServer.StartAsync(app => sink.Map(app));
            return sink;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();

        private void Map(WebApplication app)
        {
            var sink = this;
            app.MapPut("/api/v1/health/{service}/{node}", async (HttpContext context) =>
            {
                var body = (await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body))!;
                if (sink.HoldPuts)
                {
                    // Not tied to RequestAborted: a report the client gave up on is still applied, as a control plane would.
                    sink.PutArrived.TrySetResult();
                    await sink.PutReleased.Task;
                }

                sink.Reports.Enqueue((context.Request.Path.Value!, context.Request.Headers.Authorization.ToString(), body));
                sink.Methods.Enqueue("PUT");
                return Results.StatusCode(sink.Status);
            });
            app.MapDelete("/api/v1/health/{service}/{node}", async (HttpContext context) =>
            {
                sink.Deletes.Enqueue((context.Request.Path.Value!, context.Request.Headers.Authorization.ToString()));
                sink.Methods.Enqueue("DELETE");
                sink.DeleteArrived.TrySetResult();
                if (sink.HangDelete)
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(static _ => { }, TaskScheduler.Default);
                }

                return Results.StatusCode(sink.DeleteStatus);
            });
        }
    }

    private static ControlPlaneClientOptions Options(Uri url) => new()
    {
        Url = url,
        NodeId = "node-1",
        ServiceName = "orders",
        Token = "sidecar-secret",
        InboundAddress = "127.0.0.1:15006",
        HealthReportInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task ReportAsync_ThreeBreakerStates_SendsEachWithToken()
    {
        await using var sink = await HealthSink.StartAsync();
        var time = new FakeTimeProvider();
        var registry = new CircuitBreakerRegistry(time);
        registry.Get("billing");
        var search = registry.Get("search");
        for (var i = 0; i < registry.OptionsFor("search").FailMax; i++)
        {
            search.Record(search.TryAcquire(), CircuitOutcome.Failure);
        }

        var inventory = registry.Get("inventory");
        for (var i = 0; i < registry.OptionsFor("inventory").FailMax; i++)
        {
            inventory.Record(inventory.TryAcquire(), CircuitOutcome.Failure);
        }

        time.Advance(registry.OptionsFor("inventory").ResetTimeout + TimeSpan.FromSeconds(1));
        _ = inventory.TryAcquire();
        using var reporter = new BreakerReporter(Options(sink.Address), registry, time, NullLogger<BreakerReporter>.Instance);

        Assert.True(await reporter.ReportAsync(default));

        var (path, authorization, body) = Assert.Single(sink.Reports);
        Assert.Equal("/api/v1/health/orders/node-1", path);
        Assert.Equal("Bearer sidecar-secret", authorization);
        var clusters = body["clusters"]!.AsArray().Select(c => ((string)c!["name"]!, (string)c["state"]!)).ToArray();
        Assert.Equal([("billing", "closed"), ("inventory", "half_open"), ("search", "open")], clusters);
        Assert.Equal(1, reporter.Reports);
    }

    [Fact]
    public async Task ReportAsync_Refused_ReturnsFalse()
    {
        await using var sink = await HealthSink.StartAsync();
        sink.Status = StatusCodes.Status400BadRequest;
        using var reporter = new BreakerReporter(Options(sink.Address), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<BreakerReporter>.Instance);

        Assert.False(await reporter.ReportAsync(default));
        Assert.Equal(0, reporter.Reports);
    }

    [Fact]
    public async Task ReportAsync_NoRegistry_SendsEmptyList()
    {
        await using var sink = await HealthSink.StartAsync();
        using var reporter = new BreakerReporter(Options(sink.Address), null, TimeProvider.System, NullLogger<BreakerReporter>.Instance);

        Assert.True(await reporter.ReportAsync(default));

        Assert.Empty(Assert.Single(sink.Reports).Body["clusters"]!.AsArray());
    }

    [Fact]
    public async Task StartAsync_Running_ReportsPeriodicallyAndStopsOnShutdown()
    {
        await using var sink = await HealthSink.StartAsync();
        var registry = new CircuitBreakerRegistry();
        registry.Get("billing");
        using var reporter = new BreakerReporter(Options(sink.Address), registry, TimeProvider.System, NullLogger<BreakerReporter>.Instance);

        await reporter.StartAsync(default);
        await Eventually.TrueAsync(() => sink.Reports.Count >= 3, "three reports arrive");

        await reporter.StopAsync(default);
        Assert.True(reporter.ExecuteTask!.IsCompleted);
        var count = sink.Reports.Count;
        Assert.True(count >= 3, $"only {count} reports");
        await Task.Delay(300);
        Assert.Equal(count, sink.Reports.Count);
        Assert.All(sink.Reports, r => Assert.Equal("billing", (string?)r.Body["clusters"]![0]!["name"]));
    }

    [Fact]
    public async Task StopAsync_Running_DeregistersOnceWithTokenAfterLastReport()
    {
        await using var sink = await HealthSink.StartAsync();
        using var reporter = new BreakerReporter(Options(sink.Address), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<BreakerReporter>.Instance);
        await reporter.StartAsync(default);
        await Eventually.TrueAsync(() => sink.Reports.Count >= 2, "two reports arrive");

        Assert.Empty(sink.Deletes);

        await reporter.StopAsync(default);

        var (path, authorization) = Assert.Single(sink.Deletes);
        Assert.Equal("/api/v1/health/orders/node-1", path);
        Assert.Equal("Bearer sidecar-secret", authorization);
        Assert.Equal("DELETE", sink.Methods.Last());
        Assert.True(sink.Reports.Count >= 2);
        await Task.Delay(200);
        Assert.Single(sink.Deletes);
        Assert.Equal("DELETE", sink.Methods.Last());
    }

    [Fact]
    public async Task StopAsync_ReportInFlight_DeregistersOnlyAfterTheReportIsApplied()
    {
        await using var sink = await HealthSink.StartAsync();
        sink.HoldPuts = true;
        var time = new FakeTimeProvider(); // the wait for the report in flight never times out here
        using var reporter = new BreakerReporter(Options(sink.Address), null, time, NullLogger<BreakerReporter>.Instance);
        await reporter.StartAsync(default);
        await sink.PutArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var stop = reporter.StopAsync(default);
        // A reporter that cancels the report and deregisters at once has its DELETE here well within this; a correct one
        // sends none while the report is held. The bound only decides whether a wrong reporter is caught, never fails a right one.
        await Task.WhenAny(sink.DeleteArrived.Task, Task.Delay(TimeSpan.FromSeconds(1)));
        sink.PutReleased.TrySetResult();
        await stop.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["PUT", "DELETE"], sink.Methods);
        Assert.Single(sink.Reports);
    }

    [Theory]
    [InlineData(StatusCodes.Status204NoContent, true)]
    [InlineData(StatusCodes.Status404NotFound, false)]
    [InlineData(StatusCodes.Status401Unauthorized, false)]
    public async Task DeregisterAsync_Answer_TrueOnlyWhenRemoved(int status, bool expected)
    {
        await using var sink = await HealthSink.StartAsync();
        sink.DeleteStatus = status;
        using var reporter = new BreakerReporter(Options(sink.Address), null, TimeProvider.System, NullLogger<BreakerReporter>.Instance);

        Assert.Equal(expected, await reporter.DeregisterAsync(default));
        Assert.Single(sink.Deletes);
    }

    [Fact]
    public async Task StopAsync_ControlPlaneHangs_GivesUpAfterDeregisterTimeout()
    {
        await using var sink = await HealthSink.StartAsync();
        sink.HangDelete = true;
        var time = new FakeTimeProvider();
        using var reporter = new BreakerReporter(Options(sink.Address), null, time, NullLogger<BreakerReporter>.Instance);
        await reporter.StartAsync(default);
        await Eventually.TrueAsync(() => !sink.Reports.IsEmpty, "a report arrives");

        var stop = reporter.StopAsync(default);
        await sink.DeleteArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.False(stop.IsCompleted);
        time.Advance(BreakerReporter.DeregisterTimeout - TimeSpan.FromMilliseconds(1));
        await Task.Delay(200);
        Assert.False(stop.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));

        await stop.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(reporter.ExecuteTask!.IsCompleted);
        Assert.True(BreakerReporter.DeregisterTimeout <= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task StopAsync_ControlPlaneUnreachable_CompletesWithoutThrowing()
    {
        using var reporter = new BreakerReporter(Options(new Uri("http://127.0.0.1:1")), null, TimeProvider.System, NullLogger<BreakerReporter>.Instance);
        await reporter.StartAsync(default);

        await reporter.StopAsync(default).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(reporter.ExecuteTask!.IsCompleted);
        Assert.False(await reporter.DeregisterAsync(default));
    }

    [Fact]
    public void NextDelay_Failures_BacksOffToMaxNeverBelowInterval()
    {
        var options = Options(new Uri("http://127.0.0.1:1")) with
        {
            HealthReportInterval = TimeSpan.FromSeconds(1),
            BackoffMin = TimeSpan.FromMilliseconds(500),
            BackoffMax = TimeSpan.FromSeconds(5),
        };
        using var reporter = new BreakerReporter(options, null, TimeProvider.System, NullLogger<BreakerReporter>.Instance);

        Assert.Equal(TimeSpan.FromSeconds(1), reporter.NextDelay(0));
        Assert.Equal(TimeSpan.FromSeconds(1), reporter.NextDelay(1));
        Assert.Equal(TimeSpan.FromSeconds(2), reporter.NextDelay(3));
        Assert.Equal(TimeSpan.FromSeconds(4), reporter.NextDelay(4));
        Assert.Equal(TimeSpan.FromSeconds(5), reporter.NextDelay(5));
        Assert.Equal(TimeSpan.FromSeconds(5), reporter.NextDelay(50));
    }

    [Theory]
    [InlineData(null, 5000)]
    [InlineData("250", 250)]
    public void Read_HealthReportMs_DefaultOrValue(string? value, int expectedMs)
    {
        var variables = new Dictionary<string, string?>
        {
            ["ACGS_CONTROL_PLANE_URL"] = "http://127.0.0.1:8000",
            ["ACGS_SERVICE_NAME"] = "orders",
            ["ACGS_HEALTH_REPORT_MS"] = value,
        };

        var options = ControlPlaneClientOptions.Read(name => variables.GetValueOrDefault(name), out var errors);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), options!.HealthReportInterval);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("600001")]
    [InlineData("fast")]
    public void Read_BadHealthReportMs_ErrorReported(string value)
    {
        var variables = new Dictionary<string, string?>
        {
            ["ACGS_CONTROL_PLANE_URL"] = "http://127.0.0.1:8000",
            ["ACGS_SERVICE_NAME"] = "orders",
            ["ACGS_HEALTH_REPORT_MS"] = value,
        };

        Assert.Null(ControlPlaneClientOptions.Read(name => variables.GetValueOrDefault(name), out var errors));
        Assert.StartsWith("ACGS_HEALTH_REPORT_MS", Assert.Single(errors), StringComparison.Ordinal);
    }
}
