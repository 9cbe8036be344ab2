// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Forwarding;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;

namespace Acgs.Benchmarks.Sidecar;

/// <summary>
/// The upstream <see cref="Uri"/> reuse of the request transform (<see cref="DestinationUris"/>): a hit
/// (same destination, path and query as the thread's last request), a miss (another query) and the
/// remembering of a response's <see cref="Uri"/>. Each must be 0 B/op; the hit replaces YARP's
/// <c>new Uri(prefix + path + query)</c> (<see cref="BuildUri"/>, for comparison).
/// </summary>
[MemoryDiagnoser]
public class DestinationUriBenchmarks
{
    private const string Prefix = "http://127.0.0.1:8080/";
    private static readonly PathString Path = new("/api/orders/42");
    private static readonly QueryString Query = new("?expand=lines");
    private static readonly QueryString OtherQuery = new("?expand=none");
    private readonly Uri _uri = new("http://127.0.0.1:8080/api/orders/42?expand=lines");

    [GlobalSetup]
    public void Setup() => DestinationUris.Remember(_uri);

    [Benchmark]
    public Uri? ReuseHit() => DestinationUris.Reuse(Prefix, Path, Query);

    [Benchmark]
    public Uri? ReuseMiss() => DestinationUris.Reuse(Prefix, Path, OtherQuery);

    [Benchmark]
    public void Remember() => DestinationUris.Remember(_uri);

    [Benchmark(Baseline = true)]
    public Uri BuildUri() => new(string.Concat(Prefix.AsSpan(0, Prefix.Length - 1), Path.Value, Query.Value), UriKind.Absolute);
}
