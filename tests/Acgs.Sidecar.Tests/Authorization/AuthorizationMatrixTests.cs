// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Acgs.Contracts.Authorization;

namespace Acgs.Sidecar.Tests.Authorization;

/// <summary>
/// Through real sidecars: callers frontend (its sidecar, mTLS), billing and audit (workload certificates, mTLS) and a
/// plaintext caller, against the orders sidecar under an allow list, a deny rule, a dry run, the mesh default-deny and
/// path/method rules. Denials are 403 <c>urn:acgs:forbidden-peer</c> naming the rule only, and never reach the app.
/// </summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMeshFixture>
{
    private static readonly string[] Callers = ["frontend", "billing", "audit", "plaintext"];
    private readonly AuthorizationMesh _mesh;

    public AuthorizationMatrixTests(AuthorizationMeshFixture fixture) => _mesh = fixture.Mesh;

    private static AuthorizationPolicyConfig Policy(string name, AuthorizationAction action, bool enforce, params string[] from) =>
        new() { Name = name, Action = action, Enforce = enforce, Rules = [new AuthorizationRule { From = [.. from] }] };

    private static AuthorizationConfig? Scenario(string name) => name switch
    {
        "none" => null,
        "allow-list" => new() { Policies = [Policy("orders-allow", AuthorizationAction.Allow, true, "frontend", "spiffe://acgs.local/svc/audit")] },
        "deny" => new() { Policies = [Policy("orders-deny", AuthorizationAction.Deny, true, "billing", "unauthenticated")] },
        "dry-run" => new() { Policies = [Policy("orders-dry", AuthorizationAction.Deny, false, "*")] },
        "mesh-default-deny" => new() { DefaultAction = AuthorizationAction.Deny, Policies = [Policy("orders-audit", AuthorizationAction.Allow, true, "audit")] },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown scenario"),
    };

    [Theory]
    [InlineData("none", "200 200 200 200", "")]
    [InlineData("allow-list", "200 403 200 403", "default")]
    [InlineData("deny", "200 403 200 403", "orders-deny#0")]
    [InlineData("dry-run", "200 200 200 200", "")]
    [InlineData("mesh-default-deny", "403 403 200 403", "default")]
    public async Task Call_EveryCallerUnderPolicy_AllowedOrForbiddenAsThePolicySays(string scenario, string expected, string denyRule)
    {
        await _mesh.ApplyAsync(Scenario(scenario));
        var statuses = new List<string>();
        foreach (var caller in Callers)
        {
            var before = _mesh.App.Requests;
            using var response = await _mesh.CallAsync(caller, "/matrix/" + caller);
            var body = await response.Content.ReadAsStringAsync();
            statuses.Add(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                AssertForbidden(response, body, denyRule);
                Assert.Equal(before, _mesh.App.Requests);
            }
        }

        Assert.Equal(expected, string.Join(' ', statuses));
    }

    [Fact]
    public async Task Call_DryRunDeny_CountedApartAndLetThrough()
    {
        await _mesh.ApplyAsync(new AuthorizationConfig { Policies = [Policy("dry-count", AuthorizationAction.Deny, false, "*")] });
        foreach (var caller in Callers)
        {
            using var response = await _mesh.CallAsync(caller, "/dry");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var metrics = await _mesh.Orders.AdminGetStringAsync("/metrics");
        Assert.Contains("acgs_authz_decisions_total{result=\"dry_run_deny\",rule=\"dry-count#0\"} 4", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("acgs_authz_decisions_total{result=\"deny\",rule=\"dry-count#0\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_PathAndMethodRule_OnlyCoveredRequestsAllowed()
    {
        await _mesh.ApplyAsync(new AuthorizationConfig
        {
            Policies =
            [
                new AuthorizationPolicyConfig
                {
                    Name = "reports",
                    Rules = [new AuthorizationRule { From = ["audit"], To = new AuthorizationTarget { Paths = ["/reports"], Methods = ["GET"] } }],
                },
            ],
        });

        using var get = await _mesh.CallAsync("audit", "/reports/2026");
        using var post = await _mesh.CallAsync("audit", "/reports/2026", HttpMethod.Post);
        using var other = await _mesh.CallAsync("audit", "/orders");
        using var billing = await _mesh.CallAsync("billing", "/reports/2026");

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, billing.StatusCode);
        Assert.Contains("acgs_authz_decisions_total{result=\"allow\",rule=\"reports#0\"} 1", await _mesh.Orders.AdminGetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    private static void AssertForbidden(HttpResponseMessage response, string body, string rule)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal("urn:acgs:forbidden-peer", (string?)problem["type"]);
        Assert.Equal(403, (int)problem["status"]!);
        Assert.Equal(rule, (string?)problem["rule"]);
        foreach (var secret in new[] { "spiffe", "frontend", "billing", "audit", "unauthenticated" })
        {
            Assert.DoesNotContain(secret, body.Replace("/matrix/" + secret, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }
}
