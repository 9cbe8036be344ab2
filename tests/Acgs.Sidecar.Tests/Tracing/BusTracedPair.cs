// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Tests.Bus;
using Acgs.Sidecar.Tests.Fixtures;
using Acgs.Testing;

namespace Acgs.Sidecar.Tests.Tracing;

/// <summary>
/// Two built sidecars linked on the bus (a's directory sends <c>agent-b</c> to b's bus port), both exporting to one
/// <see cref="OtlpReceiver"/>; agent-a on a and agent-b on b are raw clients that asked for trace context. The link is
/// opened (and its register_ack read) by one untraced message before the tests.
/// </summary>
public sealed class BusTracedPair : IAsyncLifetime
{
    private TestUpstream _app = null!;
    private SidecarProcess _a = null!;
    private SidecarProcess _b = null!;

    public OtlpReceiver Receiver { get; private set; } = null!;

    public Socket AgentA { get; private set; } = null!;

    public Socket AgentB { get; private set; } = null!;

    /// <summary>The bus HTTP API of sidecar a (<c>POST /v1/messages</c>).</summary>
    public Uri BusHttpA { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync();
        _app = await TestUpstream.StartAsync("app");
        var busB = FreePort.Get();
        var busA = FreePort.Get();
        _b = await SidecarProcess.StartAsync(_app.Port, Environment("svc-b", busB, null));
        var httpA = FreePort.Get();
        BusHttpA = new Uri($"http://127.0.0.1:{httpA.ToString(CultureInfo.InvariantCulture)}/");
        var environmentA = Environment("svc-a", busA, $"agent-b=127.0.0.1:{busB.ToString(CultureInfo.InvariantCulture)}");
        environmentA["ACGS_BUS_HTTP_PORT"] = httpA.ToString(CultureInfo.InvariantCulture);
        _a = await SidecarProcess.StartAsync(_app.Port, environmentA);
        AgentA = await RegisterAsync(busA, "agent-a");
        AgentB = await RegisterAsync(busB, "agent-b");
        await BusRawHost.SendAsync(AgentA, w => BusFrameWriter.WriteMessage(w, BusFrameType.Send, BusTraceContextTests.Envelope("m-open"), "x"u8));
        var open = await BusRawHost.ReadFrameAsync(AgentB) ?? throw new InvalidOperationException("the link did not deliver");
        BusFrameParser.ParseMessage(open.AsSpan(BusWireConstants.HeaderSize), out var view);
        var id = view.MessageId.ToArray();
        await BusRawHost.SendAsync(AgentB, w => BusFrameWriter.WriteIdFrame(w, BusFrameType.Ack, id));
        var ack = await BusRawHost.ReadFrameAsync(AgentA);
        if (ack is null || ack[BusWireConstants.TypeOffset] != (byte)BusFrameType.Ack)
        {
            throw new InvalidOperationException("the link did not acknowledge");
        }
    }

    public async Task DisposeAsync()
    {
        AgentA?.Dispose();
        AgentB?.Dispose();
        foreach (var disposable in new IAsyncDisposable?[] { _a, _b, _app, Receiver })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    internal static async Task<Socket> RegisterAsync(int port, string agent)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, agent, "t1", Acgs.Core.AcgsConstants.ConstitutionalHash, BusFrameFlagBits.TraceContext));
        var ack = await BusRawHost.ReadFrameAsync(socket);
        if (ack is null || ack[BusWireConstants.TypeOffset] != (byte)BusFrameType.RegisterAck || (ack[BusWireConstants.FlagsOffset] & (byte)BusFrameFlagBits.TraceContext) == 0)
        {
            throw new InvalidOperationException("register without trace context");
        }

        return socket;
    }

    private Dictionary<string, string> Environment(string service, int busPort, string? directory)
    {
        var env = new Dictionary<string, string>
        {
            ["ACGS_SERVICE_NAME"] = service,
            ["ACGS_BUS_PORT"] = busPort.ToString(CultureInfo.InvariantCulture),
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.Endpoint.ToString(),
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        };
        if (directory is not null)
        {
            env["ACGS_BUS_DIRECTORY"] = directory;
        }

        return env;
    }
}
