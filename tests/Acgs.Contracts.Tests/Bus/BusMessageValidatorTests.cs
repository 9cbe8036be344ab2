// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Bus;
using Acgs.Core;
using Acgs.Core.ConstitutionalHash;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Acgs.Contracts.Tests.Bus;

public sealed class BusMessageValidatorTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static readonly string OtherHash = string.Concat(Enumerable.Repeat("a1", AcgsConstants.HashLength / 2));

    private static BusMessage Valid() => BusMessage.Create("planner", "executor", "acme", MessageType.TaskRequest, Time);

    [Fact]
    public void Create_IsValid()
    {
        var message = Valid();

        Assert.True(BusMessageValidator.Default.Validate(message).IsValid);
        Assert.Equal(Time.GetUtcNow(), message.CreatedAt);
        Assert.NotEqual(message.MessageId, message.ConversationId);
    }

    [Fact]
    public void Validate_EveryProblem_ReportedTogether()
    {
        var message = new BusMessage
        {
            MessageId = "",
            ConversationId = "conv 1",
            FromAgent = new string('a', BusMessageValidator.MaxAgentIdLength + 1),
            ToAgent = " ",
            TenantId = "",
            MessageType = (MessageType)42,
            Priority = (MessagePriority)9,
            ConstitutionalHash = OtherHash,
            CreatedAt = Time.GetUtcNow(),
            ExpiresAt = Time.GetUtcNow(),
            ImpactScore = 1.5,
        };

        var result = BusMessageValidator.Default.Validate(message);

        Assert.Equal(
            ["message_id", "conversation_id", "from_agent", "to_agent", "tenant_id", "message_type", "priority",
             "constitutional_hash", "expires_at", "impact_score"],
            result.Errors.Select(e => e.Path));
        Assert.Contains("from_agent: must be at most 128 UTF-8 bytes, got 129", result.Messages);
    }

    [Fact]
    public void Validate_MissingCreatedAtAndHash_Reported()
    {
        var result = BusMessageValidator.Default.Validate(Valid() with { CreatedAt = default, ConstitutionalHash = null });

        Assert.Equal(["constitutional_hash", "created_at"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Validate_WrongHash_RefusedWithoutEcho()
    {
        var result = BusMessageValidator.Default.Validate(Valid() with { ConstitutionalHash = OtherHash });

        Assert.Equal("constitutional_hash: is not an accepted constitutional hash", Assert.Single(result.Messages));
        Assert.DoesNotContain(AcgsConstants.ConstitutionalHash, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(OtherHash, result.ToString(), StringComparison.Ordinal);
        Assert.True(new BusMessageValidator(ConstitutionalHashSet.Create([OtherHash])).Validate(Valid() with { ConstitutionalHash = OtherHash }).IsValid);
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1.0, true)]
    [InlineData(-0.01, false)]
    [InlineData(double.NaN, false)]
    public void Validate_ImpactScoreRange(double impact, bool valid)
    {
        Assert.Equal(valid, BusMessageValidator.Default.Validate(Valid() with { ImpactScore = impact }).IsValid);
    }

    [Fact]
    public void Validate_PayloadAtLimit_AcceptedAndOneByteMore_Refused()
    {
        // A JSON string payload of n characters is n + 2 bytes of JSON text.
        var atLimit = StringPayload(BusMessageValidator.MaxPayloadBytes - 2);
        var overLimit = StringPayload(BusMessageValidator.MaxPayloadBytes - 1);

        Assert.True(BusMessageValidator.Default.Validate(Valid() with { Payload = atLimit }).IsValid);
        var error = Assert.Single(BusMessageValidator.Default.Validate(Valid() with { Payload = overLimit }).Errors);
        Assert.Equal("payload", error.Path);
    }

    [Fact]
    public void IsExpiredAt_ComparesWithExpiry()
    {
        var message = Valid() with { ExpiresAt = Time.GetUtcNow().AddSeconds(10) };

        Assert.False(message.IsExpiredAt(Time.GetUtcNow()));
        Assert.True(message.IsExpiredAt(Time.GetUtcNow().AddSeconds(10)));
        Assert.False(Valid().IsExpiredAt(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Validate_Null_IsOneError()
    {
        Assert.Single(BusMessageValidator.Default.Validate(null).Errors);
    }

    private static JsonElement StringPayload(int characters)
    {
        using var document = JsonDocument.Parse("\"" + new string('x', characters) + "\"");
        return document.RootElement.Clone();
    }
}
