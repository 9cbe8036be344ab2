// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Acgs.Contracts.BusWire;
using Acgs.Core;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class BusHttpApiTests
{
    [Fact]
    public async Task PostMessage_ConnectedRecipientAcks_Is200Delivered()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.ConnectAsync();
        await BusRawHost.SendAsync(agent, w => BusFrameWriter.WriteRegister(w, "agent-b", "t1", AcgsConstants.ConstitutionalHash));
        Assert.NotNull(await BusRawHost.ReadFrameAsync(agent));
        using var http = await host.SenderAsync();

        var post = http.PostAsync("v1/messages", Json(new Dictionary<string, object?>
        {
            ["message_id"] = "h-1", ["from_agent"] = "tool", ["to_agent"] = "agent-b", ["tenant_id"] = "t1",
            ["message_type"] = "governance_request", ["priority"] = "CRITICAL", ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["created_at"] = "2026-01-01T00:00:00Z", ["impact_score"] = 0.9, ["payload"] = new { action = "review" },
        }));
        var deliver = await BusRawHost.ReadFrameAsync(agent);
        Assert.Equal(BusErrorCode.None, BusFrameParser.ParseMessage(deliver.AsSpan(BusWireConstants.HeaderSize), out var view));
        Assert.Equal(WirePriority.Critical, view.Priority);
        Assert.Equal(WireMessageType.GovernanceRequest, view.MessageType);
        Assert.Equal("{\"action\":\"review\"}", Encoding.UTF8.GetString(view.Payload));
        await BusRawHost.SendAsync(agent, w => BusFrameWriter.WriteAck(w, "h-1"));
        using var response = await post;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("delivered", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("{\"from_agent\":\"tool\",\"to_agent\":\"nobody\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"cdd01ef066bc6cf2\"}", HttpStatusCode.NotFound, "unknown_agent")]
    [InlineData("{\"from_agent\":\"tool\",\"to_agent\":\"nobody\",\"tenant_id\":\"t1\"}", HttpStatusCode.Forbidden, "hash_missing")]
    [InlineData("{\"from_agent\":\"tool\",\"to_agent\":\"nobody\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"CDD01EF066BC6CF2\"}", HttpStatusCode.Forbidden, "hash_mismatch")]
    [InlineData("{\"from_agent\":\"tool\",\"to_agent\":\"nobody\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"cdd01ef066bc6cf2\",\"created_at\":1000,\"expires_at\":2000}", HttpStatusCode.Gone, "expired")]
    [InlineData("{\"from_agent\":\"tool\",\"to_agent\":\"nobody\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"cdd01ef066bc6cf2\",\"priority\":9}", HttpStatusCode.BadRequest, "malformed_frame")]
    [InlineData("{\"from_agent\":\"tool\",\"to_agent\":\"nobody\",\"tenant_id\":\"t1\",\"constitutional_hash\":\"cdd01ef066bc6cf2\",\"created_at\":5000,\"expires_at\":1000}", HttpStatusCode.BadRequest, "malformed_frame")]
    [InlineData("{\"from_agent\":\"tool\",\"to_agent\":\"nobody\",\"tenant_id\":\"\",\"constitutional_hash\":\"cdd01ef066bc6cf2\"}", HttpStatusCode.BadRequest, "malformed_frame")]
    [InlineData("not json", HttpStatusCode.BadRequest, "malformed_frame")]
    public async Task PostMessage_Rejected_IsPreciseProblem(string body, HttpStatusCode status, string code)
    {
        await using var host = await BusRawHost.StartAsync();
        using var http = await host.SenderAsync();

        using var response = await http.PostAsync("v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task PostMessage_ManyProblems_ReportsEveryErrorAtOnceCountsAndDeliversNothing()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.RegisterAsync("agent-b");
        using var http = await host.SenderAsync();

        using var response = await http.PostAsync("v1/messages", Json(new Dictionary<string, object?>
        {
            ["message_id"] = "bad id", ["from_agent"] = 42, ["to_agent"] = "agent-b", ["tenant_id"] = "t1",
            ["message_type"] = "shout", ["priority"] = "urgent", ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
            ["created_at"] = "yesterday", ["impact_score"] = 3,
        }));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToHashSet();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_frame", problem.GetProperty("code").GetString());
        Assert.Superset(new HashSet<string?> { "message_id", "from_agent", "message_type", "priority", "created_at", "impact_score" }, fields);
        Assert.Equal(1, Counter(host, "unparsed", "malformed_frame"));
        await AssertNothingDeliveredAsync(agent);
    }

    [Fact]
    public async Task PostMessage_WrongHashAndOtherProblems_Is403HashMismatchListingEveryErrorWithoutTheHash()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.RegisterAsync("agent-b");
        using var http = await host.SenderAsync();
        var wrong = string.Concat(Enumerable.Repeat("ab", 8));

        using var response = await http.PostAsync("v1/messages", Json(new Dictionary<string, object?>
        {
            ["message_id"] = "bad id", ["from_agent"] = "tool", ["to_agent"] = "agent-b", ["constitutional_hash"] = wrong,
        }));
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(text).RootElement;
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("hash_mismatch", problem.GetProperty("code").GetString());
        Assert.Equal(AcgsConstants.HashMismatchProblemType, problem.GetProperty("type").GetString());
        Assert.Contains("constitutional_hash", fields);
        Assert.Contains("message_id", fields);
        Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
        Assert.DoesNotContain(AcgsConstants.ConstitutionalHash, text, StringComparison.Ordinal);
        Assert.Equal(1, Counter(host, "command", "hash_mismatch"));
        await AssertNothingDeliveredAsync(agent);
    }

    [Fact]
    public async Task PostMessage_PeerSidecarUnreachable_Is503UnavailableWithRetryAfter()
    {
        await using var host = await BusRawHost.StartAsync();
        host.Router.Directory.Update(new Dictionary<string, string> { ["agent-far"] = "127.0.0.1:1" });
        using var http = await host.SenderAsync();

        using var response = await http.PostAsync("v1/messages", Json(new Dictionary<string, object?>
        {
            ["from_agent"] = "tool", ["to_agent"] = "agent-far", ["tenant_id"] = "t1", ["constitutional_hash"] = AcgsConstants.ConstitutionalHash,
        }));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", problem.GetProperty("code").GetString());
        Assert.True(response.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task GetAgents_ListsRegisteredAgents()
    {
        await using var host = await BusRawHost.StartAsync();
        using var agent = await host.ConnectAsync();
        await BusRawHost.SendAsync(agent, w => BusFrameWriter.WriteRegister(w, "agent-x", "tenant-9", AcgsConstants.ConstitutionalHash));
        Assert.NotNull(await BusRawHost.ReadFrameAsync(agent));
        using var http = new HttpClient { BaseAddress = host.HttpBase };

        var agents = await http.GetFromJsonAsync<JsonElement>("v1/agents");

        Assert.Equal(1, agents.GetProperty("count").GetInt32());
        Assert.Equal("agent-x", agents.GetProperty("agents")[0].GetProperty("agent_id").GetString());
        Assert.Equal("tenant-9", agents.GetProperty("agents")[0].GetProperty("tenant_id").GetString());
    }

    private static double Counter(BusRawHost host, string type, string result) => host.Router.Metrics.Messages.WithLabels(type, result).Value;

    private static async Task AssertNothingDeliveredAsync(System.Net.Sockets.Socket agent)
    {
        await BusRawHost.SendAsync(agent, w => BusFrameWriter.WritePing(w, BusFrameType.Ping, 7));
        var next = await BusRawHost.ReadFrameAsync(agent);
        Assert.NotNull(next);
        Assert.Equal((byte)BusFrameType.Pong, next[BusWireConstants.TypeOffset]);
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");
}
