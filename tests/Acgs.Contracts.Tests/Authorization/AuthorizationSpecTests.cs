// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json;
using Acgs.Contracts.Authorization;
using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.Contracts.Serialization;
using Acgs.Contracts.Validation;
using Xunit;

namespace Acgs.Contracts.Tests.Authorization;

/// <summary>The Authorization policy's JSON and validation, and the snapshot's <c>authorization</c>.</summary>
public sealed class AuthorizationSpecTests
{
    private static string[] Paths(ValidationResult result) => [.. result.Errors.Select(e => e.Path)];

    private static PolicyDocument Parse(string json) => JsonSerializer.Deserialize(json, AcgsJsonContext.Default.PolicyDocument)!;

    [Fact]
    public void Parse_FullPolicy_TypedSpecValid()
    {
        var policy = Parse("""
            {"kind":"Authorization","name":"orders-allow","target":"orders","constitutional_hash":"cdd01ef066bc6cf2",
             "spec":{"action":"allow","enforce":false,"rules":[{"from":["frontend","spiffe://acgs.local/ns/shop/sa/api"],"to":{"paths":["/api"],"methods":["GET","POST"]}},{"from":["*"]}]}}
            """);

        var spec = Assert.IsType<AuthorizationSpec>(policy.Spec);
        Assert.True(PolicyValidator.Default.Validate(policy).IsValid);
        Assert.Equal(AuthorizationAction.Allow, spec.Action);
        Assert.False(spec.Enforce);
        Assert.Equal(["frontend", "spiffe://acgs.local/ns/shop/sa/api"], spec.Rules[0].From.ToArray());
        Assert.Equal(["GET", "POST"], spec.Rules[0].To!.Methods.ToArray());
        Assert.Null(spec.Rules[1].To);
    }

    [Fact]
    public void Parse_UnknownRuleField_Refused()
    {
        Assert.Throws<JsonException>(() => Parse("""
            {"kind":"Authorization","name":"a","target":"orders","constitutional_hash":"cdd01ef066bc6cf2","spec":{"rules":[{"form":["x"]}]}}
            """));
    }

    [Fact]
    public void Validate_EveryProblem_ListedWithItsPath()
    {
        var spec = new AuthorizationSpec(
            (AuthorizationAction)7,
            [
                new AuthorizationRule { From = [] },
                new AuthorizationRule { From = ["Bad Name", "spiffe://", "spiffe://UPPER/svc/x", "ok", "*"], To = new AuthorizationTarget() },
                new AuthorizationRule { From = ["unauthenticated"], To = new AuthorizationTarget { Paths = ["api", "/ok"], Methods = ["get", "BREW"] } },
            ]);

        var result = PolicyValidator.Default.Validate(PolicyDocument.Create("a", "orders", spec));

        Assert.Equal(
            [
                "spec.action", "spec.rules[0].from", "spec.rules[1].from[0]", "spec.rules[1].from[1]", "spec.rules[1].from[2]", "spec.rules[1].to",
                "spec.rules[2].to.paths[0]", "spec.rules[2].to.methods[0]", "spec.rules[2].to.methods[1]",
            ],
            Paths(result));
    }

    [Fact]
    public void Validate_NoRulesNoDefault_Refused()
    {
        Assert.Equal(["spec.rules"], Paths(PolicyValidator.Default.Validate(PolicyDocument.Create("a", "orders", new AuthorizationSpec()))));
    }

    [Fact]
    public void Validate_DefaultActionOnService_RefusedOnMeshAccepted()
    {
        var spec = new AuthorizationSpec(DefaultAction: AuthorizationAction.Deny);

        Assert.Equal(["spec.default_action"], Paths(PolicyValidator.Default.Validate(PolicyDocument.Create("a", "orders", spec))));
        Assert.True(PolicyValidator.Default.Validate(PolicyDocument.Create("a", "mesh", spec)).IsValid);
    }

    [Fact]
    public void Validate_TooManyRules_Refused()
    {
        var rules = Enumerable.Range(0, AuthorizationRules.MaxRulesPerPolicy + 1).Select(_ => new AuthorizationRule { From = ["*"] }).ToArray();

        var result = PolicyValidator.Default.Validate(PolicyDocument.Create("a", "orders", new AuthorizationSpec(Rules: [.. rules])));

        Assert.Equal(["spec.rules"], Paths(result));
    }

    [Theory]
    [InlineData("spiffe://acgs.local/svc/orders", "orders")]
    [InlineData("spiffe://acgs.local/ns/shop/sa/api", "api")]
    [InlineData("spiffe://acgs.local/other/x", null)]
    [InlineData("spiffe://acgs.local/svc/a/b", null)]
    [InlineData("spiffe://acgs.local/ns/shop/x/api", null)]
    [InlineData("orders", null)]
    public void TryGetService_SpiffeId_ServicePartOfMeshForms(string id, string? expected)
    {
        var found = AuthorizationPrincipal.TryGetService(id, out var service);

        Assert.Equal(expected is not null, found);
        Assert.Equal(expected ?? string.Empty, found ? service.ToString() : string.Empty);
    }

    [Fact]
    public void ValidateSnapshot_BadAuthorization_EveryProblemListed()
    {
        var snapshot = new ConfigSnapshot
        {
            Version = "v1",
            ServiceName = "orders",
            Authorization = new AuthorizationConfig
            {
                Policies =
                [
                    new AuthorizationPolicyConfig { Name = "a", Rules = [new AuthorizationRule { From = ["*"] }] },
                    new AuthorizationPolicyConfig { Name = "a", Rules = [] },
                    new AuthorizationPolicyConfig { Name = "b", Rules = [new AuthorizationRule { From = ["no such thing!"] }] },
                ],
            },
        };

        var errors = ConfigSnapshotValidator.Validate(snapshot);

        Assert.Equal(
            ["authorization.policies[1].name: repeats another policy's name", "authorization.policies[1].rules: at least one rule is required",
             "authorization.policies[2].rules[0].from[0]: " + AuthorizationPrincipal.Rule],
            errors);
    }

    [Fact]
    public void SnapshotJson_Authorization_RoundTrips()
    {
        var snapshot = new ConfigSnapshot
        {
            Version = "v1",
            ServiceName = "orders",
            Authorization = new AuthorizationConfig
            {
                DefaultAction = AuthorizationAction.Deny,
                Policies = [new AuthorizationPolicyConfig { Name = "a", Action = AuthorizationAction.Deny, Enforce = false, Rules = [new AuthorizationRule { From = ["x"], To = new AuthorizationTarget { Methods = ["GET"] } }] }],
            },
        };

        var json = ConfigSnapshotJson.Serialize(snapshot);
        Assert.True(ConfigSnapshotJson.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var back, out var error), error);

        Assert.Contains("\"default_action\": \"deny\"", json, StringComparison.Ordinal);
        Assert.Equal(json, ConfigSnapshotJson.Serialize(back!));
        Assert.Empty(ConfigSnapshotValidator.Validate(back));
    }
}
