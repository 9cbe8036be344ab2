// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Authorization;
using Acgs.Sidecar.Authorization;
using Acgs.Sidecar.Telemetry;

namespace Acgs.Sidecar.Tests.Authorization;

/// <summary>The compiled matcher: Istio's order (deny, allow list, default), caller forms, paths, methods, dry run, the mesh default.</summary>
public sealed class AuthorizationMatcherTests
{
    private const string Frontend = "spiffe://acgs.local/svc/frontend";
    private const string Billing = "spiffe://acgs.local/svc/billing";
    private const string KubeApi = "spiffe://acgs.local/ns/shop/sa/api";
    private static readonly int Get = AuthorizationMethods.BitOfRequest("GET");
    private static readonly int Post = AuthorizationMethods.BitOfRequest("post");

    private static AuthorizationPolicyConfig Policy(string name, AuthorizationAction action, bool enforce, params AuthorizationRule[] rules) =>
        new() { Name = name, Action = action, Enforce = enforce, Rules = [.. rules] };

    private static AuthorizationRule Rule(string[] from, string[]? paths = null, string[]? methods = null) =>
        new() { From = [.. from], To = paths is null && methods is null ? null : new AuthorizationTarget { Paths = [.. paths ?? []], Methods = [.. methods ?? []] } };

    private static AuthorizationMatcher Build(AuthorizationAction fallback, bool fallbackEnforce, params AuthorizationPolicyConfig[] policies) =>
        AuthorizationMatcher.Build(new AuthorizationConfig { DefaultAction = fallback, DefaultActionEnforce = fallbackEnforce, Policies = [.. policies] }, new AuthorizationMetrics(new SidecarMetrics()))!;

    private static AuthorizationMatcher Build(params AuthorizationPolicyConfig[] policies) => Build(AuthorizationAction.Allow, true, policies);

    private static (AuthorizationResult Result, string Rule) Decide(AuthorizationMatcher matcher, string? caller, string path = "/", int? method = null)
    {
        var decision = matcher.Evaluate(matcher.Resolve(caller), path, method ?? Get);
        return (decision.Result, decision.Rule.Id);
    }

    [Fact]
    public void Build_NoConfig_Null()
    {
        Assert.Null(AuthorizationMatcher.Build(null, new AuthorizationMetrics(new SidecarMetrics())));
    }

    [Fact]
    public void Evaluate_AllowList_ListedAllowedOthersDeniedByDefault()
    {
        var matcher = Build(Policy("orders-allow", AuthorizationAction.Allow, true, Rule(["frontend"])));

        Assert.Equal((AuthorizationResult.Allow, "orders-allow#0"), Decide(matcher, Frontend));
        Assert.Equal((AuthorizationResult.Deny, "default"), Decide(matcher, Billing));
        Assert.Equal((AuthorizationResult.Deny, "default"), Decide(matcher, null));
    }

    [Fact]
    public void Evaluate_DenyAndAllowBothMatch_DenyWins()
    {
        var matcher = Build(
            Policy("a-allow", AuthorizationAction.Allow, true, Rule(["*"])),
            Policy("b-deny", AuthorizationAction.Deny, true, Rule(["billing"], paths: ["/admin"])));

        Assert.Equal((AuthorizationResult.Deny, "b-deny#0"), Decide(matcher, Billing, "/admin/users"));
        Assert.Equal((AuthorizationResult.Allow, "a-allow#0"), Decide(matcher, Billing, "/orders"));
        Assert.Equal((AuthorizationResult.Allow, "a-allow#0"), Decide(matcher, Frontend, "/admin"));
    }

    [Fact]
    public void Evaluate_OnlyDenyRules_OthersAllowedByDefault()
    {
        var matcher = Build(Policy("no-plaintext", AuthorizationAction.Deny, true, Rule(["unauthenticated"])));

        Assert.Equal((AuthorizationResult.Deny, "no-plaintext#0"), Decide(matcher, null));
        Assert.Equal((AuthorizationResult.Allow, "default"), Decide(matcher, Frontend));
    }

    [Fact]
    public void Evaluate_Star_MatchesAuthenticatedAndUnauthenticated()
    {
        var matcher = Build(Policy("all", AuthorizationAction.Allow, true, Rule(["*"], paths: ["/public"])));

        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, null, "/public").Result);
        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, KubeApi, "/public/x").Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, KubeApi, "/private").Result);
    }

    [Fact]
    public void Evaluate_SpiffeIdExactAndServiceNameOfBothForms_Match()
    {
        var matcher = Build(Policy("ids", AuthorizationAction.Allow, true, Rule([Billing, "api"])));

        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, Billing).Result);
        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, KubeApi).Result); // ns/shop/sa/api is service "api"
        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, "spiffe://acgs.local/svc/api").Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, "spiffe://acgs.local/svc/billing2").Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, "spiffe://acgs.local/svc/billing/x").Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, Frontend).Result);
    }

    [Fact]
    public void Evaluate_UnauthenticatedEntry_MatchesOnlyPlaintextCallers()
    {
        var matcher = Build(Policy("plain", AuthorizationAction.Allow, true, Rule(["unauthenticated"])));

        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, null).Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, Frontend).Result);
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/orders", true)]
    [InlineData("/API/orders", true)]
    [InlineData("/apix", false)]
    [InlineData("/", false)]
    [InlineData("/other/api", false)]
    public void Evaluate_PathPrefix_WholeSegmentsCaseInsensitive(string path, bool allowed)
    {
        var matcher = Build(Policy("p", AuthorizationAction.Allow, true, Rule(["*"], paths: ["/api/"])));

        Assert.Equal(allowed ? AuthorizationResult.Allow : AuthorizationResult.Deny, Decide(matcher, Frontend, path).Result);
    }

    [Fact]
    public void Evaluate_Methods_OnlyListedMethodsMatchOtherMethodsNever()
    {
        var matcher = Build(Policy("m", AuthorizationAction.Allow, true, Rule(["*"], methods: ["GET", "HEAD"])));

        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, Frontend, "/", Get).Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, Frontend, "/", Post).Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, Frontend, "/", AuthorizationMethods.BitOfRequest("PROPFIND")).Result);
    }

    [Fact]
    public void Evaluate_DryRunDeny_AllowedButReportedAsWouldDeny()
    {
        var matcher = Build(Policy("shadow", AuthorizationAction.Deny, false, Rule(["billing"])));

        Assert.Equal((AuthorizationResult.DryRunDeny, "shadow#0"), Decide(matcher, Billing));
        Assert.Equal((AuthorizationResult.Allow, "default"), Decide(matcher, Frontend));
    }

    [Fact]
    public void Evaluate_DryRunAllowList_NonListedWouldBeDenied()
    {
        var matcher = Build(Policy("shadow-allow", AuthorizationAction.Allow, false, Rule(["frontend"])));

        Assert.Equal(AuthorizationResult.Allow, Decide(matcher, Frontend).Result);
        Assert.Equal((AuthorizationResult.DryRunDeny, "default"), Decide(matcher, Billing));
    }

    [Fact]
    public void Evaluate_EnforcedDenyAndDryRun_EnforcedDenyWins()
    {
        var matcher = Build(
            Policy("a-enforced", AuthorizationAction.Deny, true, Rule(["billing"])),
            Policy("b-shadow", AuthorizationAction.Deny, false, Rule(["*"])));

        Assert.Equal((AuthorizationResult.Deny, "a-enforced#0"), Decide(matcher, Billing));
        Assert.Equal((AuthorizationResult.DryRunDeny, "b-shadow#0"), Decide(matcher, Frontend));
    }

    [Fact]
    public void Evaluate_MeshDefaultDeny_NoAllowRuleDeniesEverything()
    {
        var empty = Build(AuthorizationAction.Deny, true);
        var withAllow = Build(AuthorizationAction.Deny, true, Policy("ok", AuthorizationAction.Allow, true, Rule(["frontend"])));

        Assert.Equal((AuthorizationResult.Deny, "default"), Decide(empty, Frontend));
        Assert.Equal(AuthorizationResult.Allow, Decide(withAllow, Frontend).Result);
        Assert.Equal(AuthorizationResult.Deny, Decide(withAllow, Billing).Result);
    }

    [Fact]
    public void Evaluate_MeshDefaultDenyDryRun_WouldDenyOnly()
    {
        var matcher = Build(AuthorizationAction.Deny, false);

        Assert.Equal((AuthorizationResult.DryRunDeny, "default"), Decide(matcher, Frontend));
    }

    [Fact]
    public void Evaluate_ManyCallersAcrossWords_EachBitIndependent()
    {
        var names = Enumerable.Range(0, 130).Select(i => "svc-" + i).ToArray();
        var matcher = Build(Policy("many", AuthorizationAction.Allow, true, Rule(names[..64]), Rule(names[64..])));

        Assert.Equal("many#0", Decide(matcher, "spiffe://acgs.local/svc/svc-63").Rule);
        Assert.Equal("many#1", Decide(matcher, "spiffe://acgs.local/svc/svc-64").Rule);
        Assert.Equal("many#1", Decide(matcher, "spiffe://acgs.local/svc/svc-129").Rule);
        Assert.Equal(AuthorizationResult.Deny, Decide(matcher, "spiffe://acgs.local/svc/svc-130").Result);
    }

    [Fact]
    public void Evaluate_CallerAndWildcardRulesBothMatch_FirstInRuleOrderDecides()
    {
        var matcher = Build(Policy("order", AuthorizationAction.Allow, true, Rule(["*"], paths: ["/x"]), Rule(["frontend"]), Rule([Frontend, "*"])));

        Assert.Equal("order#0", Decide(matcher, Frontend, "/x").Rule);
        Assert.Equal("order#1", Decide(matcher, Frontend, "/y").Rule);
        Assert.Equal("order#2", Decide(matcher, Billing, "/y").Rule);
    }
}
