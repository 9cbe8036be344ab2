// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Acgs.Core.Redis;
using Acgs.Sidecar.Bus;
using Acgs.Testing.Redis;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

/// <summary>The bus HTTP API: the sender is the agent of the bearer token, never a body field; no silent loss.</summary>
public class BusHttpSenderTests
{
    [Fact]
    public async Task PostMessage_WithoutToken_Is401NotRegisteredAndNotDelivered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.RegisterAsync("agent-b");
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        using var response = await http.PostAsync("v1/messages", Message("tool", "agent-b", "t1"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("not_registered", problem.GetProperty("code").GetString());
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertNothingDeliveredAsync(agent);
    }

    [Fact]
    public async Task PostMessage_FromAgentOtherThanTheTokens_Is403AgentMismatchAndNotDelivered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.RegisterAsync("agent-b");
        using var http = await host.SenderAsync("tool");

        using var response = await http.PostAsync("v1/messages", Message("rust-message-bus-agent", "agent-b", "t1"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("agent_mismatch", problem.GetProperty("code").GetString());
        await AssertNothingDeliveredAsync(agent);
    }

    [Fact]
    public async Task PostMessage_OtherTenantThanTheTokens_Is403TenantMismatchAndNotDelivered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.RegisterAsync("agent-b", "t2");
        using var http = await host.SenderAsync("tool", "t1");

        using var response = await http.PostAsync("v1/messages", Message("tool", "agent-b", "t2"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("tenant_mismatch", problem.GetProperty("code").GetString());
        await AssertNothingDeliveredAsync(agent);
    }

    [Fact]
    public async Task PostMessage_SenderFieldsOmitted_AreTheTokensAgentAndTenant()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.RegisterAsync("agent-b");
        using var http = await host.SenderAsync("tool");

        var post = http.PostAsync("v1/messages", Json($"{{\"message_id\":\"h-1\",\"to_agent\":\"agent-b\",\"constitutional_hash\":\"{AcgsConstants.ConstitutionalHash}\"}}"));
        var deliver = await BusRawHost.ReadFrameAsync(agent);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal("tool", Encoding.UTF8.GetString(view.FromAgent));
        Assert.Equal("t1", Encoding.UTF8.GetString(view.TenantId));
        await BusRawHost.SendAsync(agent, w => BusFrameWriter.WriteAck(w, "h-1"));
        using var response = await post;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostSender_AgentConnectedOnFramedPort_Is409AndFramedRegisterOfAnHttpSenderIsDuplicate()
    {
        await using var host = await BusRawHost.StartAsync();
        using var framed = await host.RegisterAsync("agent-b");
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        using var taken = await http.PostAsync("v1/senders", Json($"{{\"agent_id\":\"agent-b\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"{AcgsConstants.ConstitutionalHash}\"}}"));
        using var tool = await host.SenderAsync("tool");
        using var socket = await host.ConnectAsync();
        await BusRawHost.SendAsync(socket, w => BusFrameWriter.WriteRegister(w, "tool", "t1", AcgsConstants.ConstitutionalHash));

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(BusErrorCode.DuplicateRegistration, BusAgentAuthTests.ErrorCode(await BusRawHost.ReadFrameAsync(socket)));
    }

    [Theory]
    [InlineData("{\"agent_id\":\"bad agent\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"cdd01ef066bc6cf2\"}", HttpStatusCode.BadRequest, "invalid_agent_id")]
    [InlineData("{\"agent_id\":\"tool\",\"tenant_id\":\"t1\"}", HttpStatusCode.Forbidden, "hash_missing")]
    [InlineData("{\"agent_id\":\"tool\",\"constitutional_hash\":\"cdd01ef066bc6cf2\"}", HttpStatusCode.BadRequest, "malformed_frame")]
    public async Task PostSender_Invalid_IsPreciseProblem(string body, HttpStatusCode status, string code)
    {
        await using var host = await BusRawHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        using var response = await http.PostAsync("v1/senders", Json(body));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(0, host.Router.HttpSenders.Count);
    }

    [Fact]
    public async Task PostSender_PastMaxHttpSenders_Is429ConnectionLimit()
    {
        await using var host = await BusRawHost.StartAsync(new BusOptions { MaxHttpSenders = 1 });
        using var first = await host.SenderAsync("tool-1");
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        using var response = await http.PostAsync("v1/senders", Json($"{{\"agent_id\":\"tool-2\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"{AcgsConstants.ConstitutionalHash}\"}}"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("connection_limit", problem.GetProperty("code").GetString());
        Assert.Equal(1, host.Router.HttpSenders.Count);
    }

    [Fact]
    public async Task DeleteSender_WithToken_TokenNoLongerSends()
    {
        await using var host = await BusRawHost.StartAsync();
        using var http = await host.SenderAsync("tool");

        using var deleted = await http.DeleteAsync("v1/senders");
        using var after = await http.PostAsync("v1/messages", Message("tool", "agent-b", "t1"));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task PostMessage_OfflineAgentWithStoreDown_Is503NotAccepted()
    {
        var redis = await RedisServer.StartNewAsync();
        var redisOptions = RedisOptions.Parse(new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url });
        await using var host = await BusRawHost.StartAsync(new BusOptions { UseStore = true }, redisOptions);
        using var http = await host.SenderAsync("tool");
        await redis.DisposeAsync();

        using var response = await http.PostAsync("v1/messages", Message("tool", "offline-agent", "t1"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unavailable", problem.GetProperty("code").GetString());
        Assert.True(response.Headers.RetryAfter is not null);
    }

    private static StringContent Message(string from, string to, string tenant) =>
        Json($"{{\"from_agent\":\"{from}\",\"to_agent\":\"{to}\",\"tenant_id\":\"{tenant}\",\"constitutional_hash\":\"{AcgsConstants.ConstitutionalHash}\"}}");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task AssertNothingDeliveredAsync(System.Net.Sockets.Socket agent)
    {
        await BusRawHost.SendAsync(agent, w => BusFrameWriter.WritePing(w, BusFrameType.Ping, 7));
        var next = await BusRawHost.ReadFrameAsync(agent);
        Assert.NotNull(next);
        Assert.Equal((byte)BusFrameType.Pong, next[BusWireConstants.TypeOffset]);
    }
}
