// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Authorization;
using Acgs.Sidecar.Authorization;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.Authorization;

/// <summary>
/// The inbound authorization decision per request, as the middleware makes it (resolve the caller's SPIFFE ID,
/// evaluate, count the decision), on matchers of 1, 10 and 100 rules. Each rule names one service, a path prefix and
/// GET; the caller is named by the last rule (<see cref="AllowLastRule"/>) or by none (<see cref="DenyNoRule"/>).
/// The worst case, <see cref="AllowLastWildcardRule"/>: every rule names <c>"*"</c> with its own path prefix and only
/// the last covers the request, so every rule's path is compared. Each must be 0 B/op and well under a microsecond.
/// </summary>
[MemoryDiagnoser]
public class AuthorizationMatcherBenchmarks
{
    private static readonly int Get = AuthorizationMethods.BitOfRequest("GET");
    private AuthorizationMatcher _matcher = null!;
    private AuthorizationMatcher _wildcard = null!;
    private string _lastCaller = null!;
    private string _lastPath = null!;
    private string _stranger = null!;

    [Params(1, 10, 100)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _matcher = Build(i => "svc-" + i.ToString(CultureInfo.InvariantCulture));
        _wildcard = Build(_ => "*");
        var last = (Rules - 1).ToString(CultureInfo.InvariantCulture);
        _lastCaller = "spiffe://acgs.local/svc/svc-" + last;
        _lastPath = "/api/svc-" + last + "/orders/42";
        _stranger = "spiffe://acgs.local/ns/shop/sa/stranger";
        if (Decide(_matcher, _lastCaller, _lastPath) != AuthorizationResult.Allow || Decide(_matcher, _stranger, _lastPath) != AuthorizationResult.Deny
            || Decide(_wildcard, _stranger, _lastPath) != AuthorizationResult.Allow || Decide(_wildcard, _stranger, "/other") != AuthorizationResult.Deny)
        {
            throw new InvalidOperationException("benchmark matcher does not decide as expected");
        }
    }

    private AuthorizationMatcher Build(Func<int, string> from)
    {
        var rules = new AuthorizationRule[Rules];
        for (var i = 0; i < Rules; i++)
        {
            rules[i] = new AuthorizationRule
            {
                From = [from(i)],
                To = new AuthorizationTarget { Paths = ["/api/svc-" + i.ToString(CultureInfo.InvariantCulture)], Methods = ["GET"] },
            };
        }

        var config = new AuthorizationConfig { Policies = [new AuthorizationPolicyConfig { Name = "bench", Rules = [.. rules] }] };
        return AuthorizationMatcher.Build(config, new AuthorizationMetrics(new SidecarMetrics()))!;
    }

    [Benchmark(Baseline = true)]
    public int AllowLastRule() => (int)Decide(_matcher, _lastCaller, _lastPath);

    [Benchmark]
    public int DenyNoRule() => (int)Decide(_matcher, _stranger, _lastPath);

    [Benchmark]
    public int AllowLastWildcardRule() => (int)Decide(_wildcard, _stranger, _lastPath);

    private static AuthorizationResult Decide(AuthorizationMatcher matcher, string caller, string path)
    {
        var decision = matcher.Evaluate(matcher.Resolve(caller), path, Get);
        decision.Count();
        return decision.Result;
    }
}
