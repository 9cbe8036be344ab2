// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Bus.Client;
using Acgs.Contracts.BusWire;

namespace Acgs.DemoApp;

/// <summary>
/// The demo app's bus agent: connects to its sidecar's bus port with <see cref="BusClient"/> and registers
/// <see cref="AgentId"/>, reconnecting (1 s apart) whenever the sidecar is not there yet or went away.
/// Counts the messages it receives (auto-acked).
/// </summary>
internal sealed class DemoAgent(IPEndPoint bus, string agentId, string tenantId)
{
    private long _received;
    private volatile BusClient? _client;

    /// <summary>The agent id registered on the bus.</summary>
    public string AgentId { get; } = agentId;

    /// <summary>The sidecar bus endpoint.</summary>
    public IPEndPoint Bus { get; } = bus;

    /// <summary>True while registered.</summary>
    public bool Registered => _client is { Completion.IsCompleted: false };

    /// <summary>Messages delivered to this agent.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>The last connection problem, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Sends <paramref name="payload"/> to <paramref name="toAgent"/> and waits for the end-to-end answer.</summary>
    public async Task<BusSendResult> SendAsync(string toAgent, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException("the agent is not registered on the bus (yet)");
        return await client.SendAsync(client.CreateEnvelope(toAgent), payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps the agent registered until <paramref name="stoppingToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var options = new BusClientOptions(AgentId) { TenantId = tenantId, OnDelivery = OnDelivery };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var client = await BusClient.ConnectAsync(Bus, options, stoppingToken).ConfigureAwait(false);
                _client = client;
                LastError = null;
                await client.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or BusClientException or IOException)
            {
                LastError = ex.Message;
            }
            finally
            {
                if (_client is { } old)
                {
                    _client = null;
                    await old.DisposeAsync().ConfigureAwait(false);
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private void OnDelivery(in BusMessageView message, BusFrameFlagBits flags) => Interlocked.Increment(ref _received);
}
