// Constitutional Hash: cdd01ef066bc6cf2

using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Acgs.Contracts.BusWire;
using Acgs.Sidecar.Bus;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>A real Kestrel host running the bus on 127.0.0.1 port 0, and raw-socket helpers speaking frames.</summary>
internal sealed class BusRawHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BusRawHost(WebApplication app)
    {
        _app = app;
        Listeners = app.Services.GetRequiredService<BusListeners>();
        Router = app.Services.GetRequiredService<BusRouter>();
    }

    public BusListeners Listeners { get; }

    public BusRouter Router { get; }

    public string BusAddress => $"127.0.0.1:{Listeners.BusPort}";

    public Uri HttpBase => new($"http://127.0.0.1:{Listeners.HttpPort}/");

    public static async Task<BusRawHost> StartAsync(BusOptions? options = null, Acgs.Core.Redis.RedisOptions? redis = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.UseAcgsBus((options ?? new BusOptions()) with { Address = "127.0.0.1", Port = 0, HttpPort = 0 }, redis);
        var app = builder.Build();
        await app.StartAsync();
        return new BusRawHost(app);
    }

    public Task<Socket> ConnectAsync(int? receiveBufferSize = null) => ConnectToAsync(Listeners.BusPort, receiveBufferSize);

    /// <summary>A raw connection to the framed bus port <paramref name="busPort"/> on loopback (this host's, or a sidecar process's).</summary>
    public static async Task<Socket> ConnectToAsync(int busPort, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, busPort));
        return socket;
    }

    public static async Task SendAsync(Socket socket, Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        await socket.SendAsync(buffer.WrittenMemory);
    }

    /// <summary>Reads one whole frame (header and body), or null when the peer closed.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[BusWireConstants.HeaderSize];
        if (!await ReadExactlyAsync(socket, header, timeout.Token))
        {
            return null;
        }

        BusFrameReader.TryReadHeader(header, out var parsed, out _);
        var frame = new byte[parsed.FrameLength];
        header.CopyTo(frame, 0);
        return await ReadExactlyAsync(socket, frame.AsMemory(BusWireConstants.HeaderSize), timeout.Token) ? frame : null;
    }

    /// <summary>Connects and registers <paramref name="agent"/>; the register_ack is read.</summary>
    public Task<Socket> RegisterAsync(string agent, string tenant = "t1", int? receiveBufferSize = null) =>
        RegisterOnAsync(Listeners.BusPort, agent, tenant, receiveBufferSize);

    /// <summary>Connects to the framed bus port <paramref name="busPort"/> and registers <paramref name="agent"/>; the register_ack is read.</summary>
    public static async Task<Socket> RegisterOnAsync(int busPort, string agent, string tenant = "t1", int? receiveBufferSize = null)
    {
        var socket = await ConnectToAsync(busPort, receiveBufferSize);
        await SendAsync(socket, w => BusFrameWriter.WriteRegister(w, agent, tenant, Acgs.Core.AcgsConstants.ConstitutionalHash));
        var ack = await ReadFrameAsync(socket);
        if (ack is null || ack[BusWireConstants.TypeOffset] != (byte)BusFrameType.RegisterAck)
        {
            throw new InvalidOperationException("register failed");
        }

        return socket;
    }

    /// <summary>Registers <paramref name="agent"/> on the HTTP API; the client sends as it (its bearer token).</summary>
    public Task<HttpClient> SenderAsync(string agent = "tool", string tenant = "t1") => SenderOnAsync(HttpBase, agent, tenant);

    /// <summary>Registers <paramref name="agent"/> on the bus HTTP API at <paramref name="httpBase"/>; the client sends as it (its bearer token).</summary>
    public static async Task<HttpClient> SenderOnAsync(Uri httpBase, string agent = "tool", string tenant = "t1")
    {
        var http = new HttpClient { BaseAddress = httpBase };
        using var response = await http.PostAsync("v1/senders", new StringContent(
            $"{{\"agent_id\":\"{agent}\",\"tenant_id\":\"{tenant}\",\"constitutional_hash\":\"{Acgs.Core.AcgsConstants.ConstitutionalHash}\"}}",
            System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException("sender registration failed: " + body);
        }

        var token = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("token").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
