// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.Compiler;

/// <summary>
/// A rebuild of a mesh of scoped snapshots the way the distribution hub runs it: every service has an Egress policy naming
/// the next five, sidecars register on every service, and a mesh-wide CircuitBreaker policy changes each pass (so every
/// cluster and every snapshot changes). One operation is one pass: the shared inputs prepared from the previous pass's, then
/// each service's key and compile through <see cref="IncrementalCompiler"/>.
/// </summary>
[MemoryDiagnoser]
public class ScopedCompileBenchmarks
{
    private const int Calls = 5;
    private const int SidecarsPerService = 20;

    private readonly IncrementalCompiler _compiler = new();
    private List<ActivePolicy>[] _passes = [];
    private List<ServiceEndpoint> _endpoints = [];
    private string[] _names = [];
    private CompilationInputs? _last;
    private long _revision;

    [Params(250, 500)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _names = [.. Enumerable.Range(0, Services).Select(Name)];
        _endpoints = [.. Enumerable.Range(0, Services * SidecarsPerService).Select(i => new ServiceEndpoint
        {
            ServiceName = Name(i % Services),
            NodeId = "node-" + I(i),
            Address = "127.0.0.1:" + I(20000 + i),
        })];
        var egress = new List<ActivePolicy>(Services + 1);
        for (var i = 0; i < Services; i++)
        {
            var id = "bench-egress-" + Name(i);
            var called = Enumerable.Range(1, Calls).Select(k => Name((i + k) % Services)).ToArray();
            egress.Add(new ActivePolicy(id, "1.0.0", PolicyDocument.Create(id, Name(i), new EgressSpec([.. called])), DateTimeOffset.UnixEpoch)
            {
                Content = id + ":" + string.Join(',', called),
            });
        }

        _passes = [Pass(egress, 201), Pass(egress, 202)];
        Rebuild(); // the first pass compiles everything: later ones are the steady state of a changing breaker
    }

    /// <summary>One pass after a mesh-wide breaker change: returns how many services compiled.</summary>
    [Benchmark]
    public int Rebuild()
    {
        _revision++;
        var policies = _passes[_revision % 2];
        var inputs = CompilationInputs.Prepare(policies, _endpoints, ConstitutionalHashSet.Default, previous: _last);
        _last = inputs;
        var compiled = 0;
        foreach (var service in _names)
        {
            var result = _compiler.Compile(service, inputs, _revision, out var reused);
            compiled += reused || result.Snapshot is null ? 0 : 1;
        }

        return compiled;
    }

    private static List<ActivePolicy> Pass(List<ActivePolicy> egress, int failMax) =>
    [
        .. egress,
        new ActivePolicy("bench-breaker", "1." + I(failMax), PolicyDocument.Create("bench-breaker", PolicyDocument.MeshTarget, new CircuitBreakerSpec(FailMax: failMax)), DateTimeOffset.UnixEpoch)
        {
            Content = "breaker:" + I(failMax),
        },
    ];

    private static string Name(int index) => "svc-" + I(index);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
