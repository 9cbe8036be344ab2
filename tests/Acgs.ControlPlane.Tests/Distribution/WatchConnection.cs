// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Distribution;

/// <summary>A raw NDJSON watch stream, for tests of the server side.</summary>
public sealed class WatchConnection : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchConnection(HttpClient client, HttpResponseMessage response, StreamReader reader)
    {
        _client = client;
        _response = response;
        _reader = reader;
    }

    public static Task<WatchConnection> OpenAsync(Uri baseAddress, string service, string node, string address) =>
        OpenAsync(new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan }, service, node, address);

    /// <summary>Opens a stream that asks for delta lines (<c>deltas=1</c>).</summary>
    public static Task<WatchConnection> OpenWithDeltasAsync(Uri baseAddress, string service, string node, string address) =>
        OpenAsync(new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan }, service, node, address + "&deltas=1");

    /// <summary>Opens a stream with <paramref name="client"/> (e.g. carrying a sidecar token); the connection owns the client.</summary>
    public static async Task<WatchConnection> OpenAsync(HttpClient client, string service, string node, string address)
    {
        var response = await client.GetAsync($"/api/v1/discovery/watch?service={service}&node={node}&address={address}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new WatchConnection(client, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next snapshot line (heartbeats skipped).</summary>
    public Task<JsonObject> NextSnapshotAsync(TimeSpan? timeout = null) => NextAsync(["snapshot"], timeout);

    /// <summary>The next snapshot or delta line (heartbeats skipped).</summary>
    public Task<JsonObject> NextUpdateAsync(TimeSpan? timeout = null) => NextAsync(["snapshot", "delta"], timeout);

    /// <summary>Reads lines until <paramref name="count"/> heartbeat lines have come (snapshot lines skipped).</summary>
    public async Task ReadHeartbeatsAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        for (var seen = 0; seen < count;)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
            if ((string?)JsonNode.Parse(line)!["type"] == Acgs.Contracts.ControlPlane.WatchLines.HeartbeatType)
            {
                seen++;
            }
        }
    }

    private async Task<JsonObject> NextAsync(string[] types, TimeSpan? timeout)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException();
            var message = JsonNode.Parse(line)!.AsObject();
            if (types.Contains((string?)message["type"]))
            {
                return message;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        _client.Dispose();
        await Task.CompletedTask;
    }
}
