// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Bus;
using Acgs.Contracts.BusWire;
using Acgs.Contracts.Serialization;
using Acgs.Core;
using Xunit;

namespace Acgs.Contracts.Tests.Bus;

public sealed class BusMessageJsonTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static BusMessage Sample()
    {
        using var payload = JsonDocument.Parse("""{"task":"summarize","items":[1,2,3]}""");
        return new BusMessage
        {
            MessageId = "m-1",
            ConversationId = "c-1",
            FromAgent = "planner",
            ToAgent = "executor",
            TenantId = "acme",
            MessageType = MessageType.GovernanceRequest,
            Priority = MessagePriority.High,
            ConstitutionalHash = AcgsConstants.ConstitutionalHash,
            CreatedAt = Created,
            ExpiresAt = Created.AddMinutes(5),
            ImpactScore = 0.75,
            Payload = payload.RootElement.Clone(),
        };
    }

    [Fact]
    public void RoundTrip_UsesSeedFieldNames()
    {
        var json = JsonSerializer.Serialize(Sample(), AcgsJsonContext.Default.BusMessage);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(
            ["message_id", "conversation_id", "from_agent", "to_agent", "tenant_id", "message_type", "priority",
             "constitutional_hash", "created_at", "expires_at", "impact_score", "payload"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("governance_request", root.GetProperty("message_type").GetString());
        Assert.Equal(2, root.GetProperty("priority").GetInt32());
        Assert.Equal("summarize", root.GetProperty("payload").GetProperty("task").GetString());

        var back = JsonSerializer.Deserialize(json, AcgsJsonContext.Default.BusMessage)!;
        Assert.Equal(MessageType.GovernanceRequest, back.MessageType);
        Assert.Equal(MessagePriority.High, back.Priority);
        Assert.Equal(Created.AddMinutes(5), back.ExpiresAt);
        Assert.Equal(json, JsonSerializer.Serialize(back, AcgsJsonContext.Default.BusMessage));
    }

    [Theory]
    [InlineData("command", MessageType.Command)]
    [InlineData("constitutional_validation", MessageType.ConstitutionalValidation)]
    [InlineData("task_response", MessageType.TaskResponse)]
    [InlineData("audit_log", MessageType.AuditLog)]
    public void Read_MessageType_SnakeCase(string name, MessageType expected)
    {
        var message = JsonSerializer.Deserialize($$"""{"message_type":"{{name}}"}""", AcgsJsonContext.Default.BusMessage)!;

        Assert.Equal(expected, message.MessageType);
    }

    [Theory]
    [InlineData("0", MessagePriority.Low)]
    [InlineData("3", MessagePriority.Critical)]
    [InlineData("\"NORMAL\"", MessagePriority.Normal)]
    [InlineData("\"critical\"", MessagePriority.Critical)]
    public void Read_Priority_NumberOrName(string value, MessagePriority expected)
    {
        var message = JsonSerializer.Deserialize($$"""{"priority":{{value}}}""", AcgsJsonContext.Default.BusMessage)!;

        Assert.Equal(expected, message.Priority);
    }

    [Theory]
    [InlineData("""{"priority":4}""")]
    [InlineData("""{"priority":"URGENT"}""")]
    [InlineData("""{"message_type":"shout"}""")]
    public void Read_UnknownEnumValue_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, AcgsJsonContext.Default.BusMessage));
    }

    [Fact]
    public void Read_MinimalAndExtraFields_DefaultsAndIgnoresUnknown()
    {
        var message = JsonSerializer.Deserialize("""{"message_id":"m","metadata":{"k":"v"}}""", AcgsJsonContext.Default.BusMessage)!;

        Assert.Equal("m", message.MessageId);
        Assert.Equal(MessagePriority.Normal, message.Priority);
        Assert.Equal(MessageType.Command, message.MessageType);
        Assert.Null(message.Payload);
        Assert.Null(message.ExpiresAt);
    }

    [Fact]
    public void Enums_MatchWireCodes()
    {
        Assert.Equal(Enum.GetNames<WireMessageType>(), Enum.GetNames<MessageType>());
        foreach (var type in Enum.GetValues<MessageType>())
        {
            Assert.Equal((byte)type, (byte)Enum.Parse<WireMessageType>(type.ToString()));
        }

        Assert.Equal(Enum.GetNames<WirePriority>(), Enum.GetNames<MessagePriority>());
        foreach (var priority in Enum.GetValues<MessagePriority>())
        {
            Assert.Equal((byte)priority, (byte)Enum.Parse<WirePriority>(priority.ToString()));
        }
    }
}
