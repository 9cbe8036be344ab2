// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.ControlPlaneClient;
using Acgs.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.ControlPlaneClient;

/// <summary>The agent report: what is sent, when, with which token; the bus-backed source on a real bus listener.</summary>
public sealed class AgentReporterTests
{
    private sealed class FakeSource : ILocalAgentSource
    {
        public string? BusAddress { get; set; } = "127.0.0.1:18080";

        public List<string> Agents { get; } = [];

        public IReadOnlyList<string> ConnectedAgents() => [.. Agents];
    }

    /// <summary>A Kestrel endpoint recording agent reports.</summary>
    private sealed class ReportSink : IAsyncDisposable
    {
        private KestrelTestServer _server = null!;

        public Uri Address => _server.BaseUri;

        public ConcurrentQueue<(string Path, string? Authorization, JsonObject Body)> Reports { get; } = new();

        public static async Task<ReportSink> StartAsync()
        {
            var sink = new ReportSink();
            sink._server = await KestrelTestServer.StartAsync(app => app.MapPut("/api/v1/discovery/{service}/{node}/agents", async (HttpContext context) =>
            {
                var body = (await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(context.Request.Body))!;
                sink.Reports.Enqueue((context.Request.Path.Value!, context.Request.Headers.Authorization.ToString(), body));
                return Results.NoContent();
            }));
            return sink;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    private static ControlPlaneClientOptions Options(Uri url) => new()
    {
        Url = url,
        NodeId = "node-1",
        ServiceName = "orders",
        Token = "sidecar-secret",
        InboundAddress = "127.0.0.1:15006",
        AgentReportRefresh = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task ReportIfChanged_SendsOnChangeAndRefreshOnly()
    {
        await using var sink = await ReportSink.StartAsync();
        var source = new FakeSource();
        source.Agents.AddRange(["agent-a", "agent-b"]);
        var time = new FakeTimeProvider();
        using var reporter = new AgentReporter(Options(sink.Address), source, time, NullLogger<AgentReporter>.Instance);

        Assert.True(await reporter.ReportIfChangedAsync(default));
        Assert.False(await reporter.ReportIfChangedAsync(default));
        source.Agents.Add("agent-c");
        Assert.True(await reporter.ReportIfChangedAsync(default));
        Assert.False(await reporter.ReportIfChangedAsync(default));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.True(await reporter.ReportIfChangedAsync(default));

        var reports = sink.Reports.ToArray();
        Assert.Equal(3, reports.Length);
        Assert.Equal("/api/v1/discovery/orders/node-1/agents", reports[0].Path);
        Assert.Equal("Bearer sidecar-secret", reports[0].Authorization);
        Assert.Equal("127.0.0.1:18080", (string?)reports[0].Body["bus_address"]);
        Assert.Equal(["agent-a", "agent-b"], reports[0].Body["agents"]!.AsArray().Select(a => (string)a!).ToArray());
        Assert.Equal(3, reports[1].Body["agents"]!.AsArray().Count);
    }

    [Fact]
    public async Task ReportIfChanged_NoBusAddress_SendsNothing()
    {
        await using var sink = await ReportSink.StartAsync();
        var source = new FakeSource { BusAddress = null };
        using var reporter = new AgentReporter(Options(sink.Address), source, TimeProvider.System, NullLogger<AgentReporter>.Instance);

        Assert.False(await reporter.ReportIfChangedAsync(default));
        Assert.Empty(sink.Reports);
    }

    [Theory]
    [InlineData("127.0.0.1:15006", 8080, null, "127.0.0.1:8080")]
    [InlineData("http://10.1.2.3:15006", 9000, null, "10.1.2.3:9000")]
    [InlineData("[::1]:15006", 8080, null, "[::1]:8080")]
    [InlineData("orders-0:15006", 8080, null, null)]
    [InlineData("orders-0:15006", 8080, "10.9.9.9:8080", "10.9.9.9:8080")]
    [InlineData("127.0.0.1:15006", 0, null, null)]
    public void Advertised_Cases(string inbound, int busPort, string? configured, string? expected)
    {
        var options = Options(new Uri("http://127.0.0.1:1")) with { InboundAddress = inbound, BusAdvertiseAddress = configured };

        Assert.Equal(expected, BusLocalAgentSource.Advertised(options, busPort));
    }

    [Fact]
    public void Read_BadAdvertiseAddressAndInterval_EveryErrorReported()
    {
        var variables = new Dictionary<string, string>
        {
            ["ACGS_CONTROL_PLANE_URL"] = "http://127.0.0.1:8000",
            ["ACGS_SERVICE_NAME"] = "orders",
            ["ACGS_BUS_ADVERTISE_ADDRESS"] = "bus.local:8080",
            ["ACGS_AGENT_REPORT_MS"] = "0",
        };

        Assert.Null(ControlPlaneClientOptions.Read(name => variables.GetValueOrDefault(name), out var errors));
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("ACGS_BUS_ADVERTISE_ADDRESS", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ACGS_AGENT_REPORT_MS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BusLocalAgentSource_RealBus_ListsRegisteredAgentsAndBoundPort()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseAcgsBus(new BusOptions { Address = "127.0.0.1", Port = 0, HttpPort = -1 });
        await using var app = builder.Build();
        await app.StartAsync();
        var listeners = app.Services.GetRequiredService<BusListeners>();
        var source = new BusLocalAgentSource(app.Services.GetRequiredService<BusRouter>(), listeners, Options(new Uri("http://127.0.0.1:1")));
        Assert.Empty(source.ConnectedAgents());

        using var agent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await agent.ConnectAsync(new IPEndPoint(IPAddress.Loopback, listeners.BusPort));
        var frame = new System.Buffers.ArrayBufferWriter<byte>();
        BusFrameWriter.WriteRegister(frame, "agent-x", "tenant-1", AcgsConstants.ConstitutionalHash);
        await agent.SendAsync(frame.WrittenMemory);
        await Eventually.TrueAsync(() => source.ConnectedAgents().Count > 0, "the agent registers");

        Assert.Equal(["agent-x"], source.ConnectedAgents().ToArray());
        Assert.Equal("127.0.0.1:" + listeners.BusPort, source.BusAddress);
        Assert.Null(new BusLocalAgentSource(null, null, Options(new Uri("http://127.0.0.1:1"))).BusAddress);
        await app.StopAsync();
    }
}
