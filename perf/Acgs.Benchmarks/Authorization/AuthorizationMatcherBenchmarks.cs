// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Authorization;
using Acgs.Sidecar.Authorization;
using Acgs.Sidecar.Telemetry;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.Authorization;

/// <summary>
/// The inbound authorization decision per request, as the middleware makes it (resolve the caller's SPIFFE ID,
/// evaluate, count the decision), on a matcher of 1, 10 and 100 rules (each: one service, a path prefix, GET). The
/// caller matches only the last rule (<see cref="AllowLastRule"/>) or none (<see cref="DenyNoRule"/>): every rule is
/// tried, the worst case. Each must be 0 B/op and well under a microsecond.
/// </summary>
[MemoryDiagnoser]
public class AuthorizationMatcherBenchmarks
{
    private static readonly int Get = AuthorizationMethods.BitOfRequest("GET");
    private AuthorizationMatcher _matcher = null!;
    private string _lastCaller = null!;
    private string _lastPath = null!;
    private string _stranger = null!;

    [Params(1, 10, 100)]
    public int Rules { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rules = new AuthorizationRule[Rules];
        for (var i = 0; i < Rules; i++)
        {
            rules[i] = new AuthorizationRule
            {
                From = ["svc-" + i.ToString(CultureInfo.InvariantCulture)],
                To = new AuthorizationTarget { Paths = ["/api/svc-" + i.ToString(CultureInfo.InvariantCulture)], Methods = ["GET"] },
            };
        }

        var config = new AuthorizationConfig { Policies = [new AuthorizationPolicyConfig { Name = "bench", Rules = [.. rules] }] };
        _matcher = AuthorizationMatcher.Build(config, new AuthorizationMetrics(new SidecarMetrics()))!;
        var last = (Rules - 1).ToString(CultureInfo.InvariantCulture);
        _lastCaller = "spiffe://acgs.local/svc/svc-" + last;
        _lastPath = "/api/svc-" + last + "/orders/42";
        _stranger = "spiffe://acgs.local/ns/shop/sa/stranger";
        if (Decide(_lastCaller, _lastPath) != AuthorizationResult.Allow || Decide(_stranger, _lastPath) != AuthorizationResult.Deny)
        {
            throw new InvalidOperationException("benchmark matcher does not decide as expected");
        }
    }

    [Benchmark(Baseline = true)]
    public int AllowLastRule() => (int)Decide(_lastCaller, _lastPath);

    [Benchmark]
    public int DenyNoRule() => (int)Decide(_stranger, _lastPath);

    private AuthorizationResult Decide(string caller, string path)
    {
        var decision = _matcher.Evaluate(_matcher.Resolve(caller), path, Get);
        decision.Count();
        return decision.Result;
    }
}
