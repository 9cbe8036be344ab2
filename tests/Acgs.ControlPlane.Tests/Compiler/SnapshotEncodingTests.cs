// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Config;
using Acgs.Contracts.Policies;
using Acgs.ControlPlane.Compiler;
using Acgs.ControlPlane.Discovery;
using Acgs.Core.ConstitutionalHash;

namespace Acgs.ControlPlane.Tests.Compiler;

/// <summary>The parts every snapshot shares are serialized once per pass and spliced in: the bytes stay those of a whole serialization.</summary>
public sealed class SnapshotEncodingTests
{
    private const long Revision = 41;

    private static readonly ServiceEndpoint[] Endpoints =
    [
        new() { ServiceName = "svc-a", NodeId = "n1", Address = "10.0.0.1:15006", BusAddress = "10.0.0.1:15010", Agents = ["agent-1", "agent-2"] },
        new() { ServiceName = "svc-a", NodeId = "n2", Address = "10.0.0.2:15006" },
        new() { ServiceName = "svc-b", NodeId = "n3", Address = "http://10.0.0.3:15006", BusAddress = "10.0.0.3:15010", Agents = ["agent-3"] },
        new() { ServiceName = "svc-c", NodeId = "n4", Address = "10.0.0.4:15006" },
    ];

    private static ActivePolicy Policy(string id, string target, PolicySpec spec) => new(id, "1.0.0", PolicyDocument.Create(id, target, spec));

    private static List<ActivePolicy> Policies() =>
    [
        Policy("mesh-breaker", "mesh", new CircuitBreakerSpec { FailMax = 5, ResetTimeoutSeconds = 30 }),
        Policy("svc-b-timeout", "svc-b", new TimeoutSpec { RequestTimeoutMs = 1500 }),
        Policy("svc-c-route", "svc-c", new RouteSpec { Hosts = ["orders"], Cluster = "orders", Destinations = ["http://10.9.9.9:80"] }),
    ];

    [Fact]
    public void Encode_SharedClustersAndAgentDirectory_GivesTheBytesAndVersionOfAWholeSerialization()
    {
        var inputs = CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default);

        foreach (var service in new[] { "svc-a", "svc-b" })
        {
            var result = SnapshotCompiler.Compile(service, inputs, Revision);

            Assert.NotNull(inputs.SharedParts.ClustersJsonOf(result.Snapshot!));
            Assert.NotNull(inputs.SharedParts.AgentDirectoryJsonOf(result.Snapshot!));
            Assert.Equal(SnapshotEncoding.Serialize(result.Snapshot!), result.Json);
            Assert.Equal(SnapshotEncoding.Encode(result.Snapshot!, Revision), (result.Snapshot!.Version, result.Json!), new EncodingComparer());
            Assert.True(ConfigSnapshotJson.TryParse(result.Json, out var parsed, out var error), error);
            Assert.Equal(3, parsed!.AgentDirectory.Count);
            Assert.Equal(1.5, parsed.Clusters["svc-b"].TimeoutSeconds);
        }
    }

    [Theory]
    [InlineData(Revision)]
    [InlineData(12345678901L)]
    [InlineData(0L)]
    public void WithRevision_SnapshotCompiledAtRevisionZero_GivesTheVersionAndBytesOfEncodingAtThatRevision(long revision)
    {
        var inputs = CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default);
        var result = SnapshotCompiler.Compile("svc-a", inputs, 0);

        var stamped = SnapshotEncoding.WithRevision(result.Snapshot!.Version, result.Json!, revision);

        Assert.NotNull(stamped);
        Assert.Equal(SnapshotEncoding.Encode(result.Snapshot!, revision), stamped.Value, new EncodingComparer());
        Assert.Null(SnapshotEncoding.WithRevision("7-0123456789ab", result.Json!, revision)); // not the version the JSON carries
    }

    [Fact]
    public void Compile_TwoServicesOfOnePass_SerializeTheSharedClustersOnce()
    {
        var inputs = CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default);

        var a = SnapshotCompiler.Compile("svc-a", inputs, Revision).Snapshot!;
        var b = SnapshotCompiler.Compile("svc-b", inputs, Revision).Snapshot!;

        Assert.Same(inputs.SharedParts.ClustersJsonOf(a), inputs.SharedParts.ClustersJsonOf(b));
        Assert.Same(inputs.SharedParts.AgentDirectoryJsonOf(a), inputs.SharedParts.AgentDirectoryJsonOf(b));
    }

    [Fact]
    public void Encode_ClustersWithStaticDestinations_SerializesThemWhole()
    {
        var inputs = CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default);

        var result = SnapshotCompiler.Compile("svc-c", inputs, Revision);

        Assert.Null(inputs.SharedParts.ClustersJsonOf(result.Snapshot!)); // its own clusters: "orders" has a static destination
        Assert.NotNull(inputs.SharedParts.AgentDirectoryJsonOf(result.Snapshot!));
        Assert.Equal(SnapshotEncoding.Serialize(result.Snapshot!), result.Json);
        Assert.Contains("http://10.9.9.9:80", result.Snapshot!.Clusters["orders"].Destinations);
    }

    [Fact]
    public void Encode_NothingShared_GivesTheBytesOfAWholeSerialization()
    {
        var inputs = CompilationInputs.Prepare([], [], ConstitutionalHashSet.Default);

        var result = SnapshotCompiler.Compile("svc-a", inputs, Revision);

        Assert.Null(inputs.SharedParts.ClustersJsonOf(result.Snapshot!));
        Assert.Null(inputs.SharedParts.AgentDirectoryJsonOf(result.Snapshot!));
        Assert.Equal(SnapshotEncoding.Serialize(result.Snapshot!), result.Json);
        Assert.Equal(SnapshotCompiler.VersionOf(result.Snapshot!, Revision), result.Snapshot!.Version);
    }

    [Fact]
    public void Prepare_SameSidecars_ReusesTheirDestinationsAndAgentDirectory()
    {
        var first = CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default);
        ServiceEndpoint[] copies = [.. Endpoints.Select(e => e with { ExpiresAt = DateTimeOffset.UnixEpoch.AddDays(1) })];

        var second = CompilationInputs.Prepare(Policies(), copies, ConstitutionalHashSet.Default, previous: first);

        Assert.Same(first.Destinations, second.Destinations);
        Assert.Same(first.AgentDirectory, second.AgentDirectory);
        Assert.Equal(first.SharedKey, second.SharedKey);
        Assert.Equal(SnapshotCompiler.Compile("svc-a", first, Revision).Json, SnapshotCompiler.Compile("svc-a", second, Revision).Json);
    }

    [Fact]
    public void Prepare_SidecarMovedOrAgentsChanged_BuildsThemAgainLikeAFreshPass()
    {
        var first = CompilationInputs.Prepare(Policies(), Endpoints, ConstitutionalHashSet.Default);
        ServiceEndpoint[] moved = [Endpoints[0] with { Address = "10.0.0.9:15006" }, .. Endpoints[1..]];
        ServiceEndpoint[] agents = [Endpoints[0] with { Agents = ["agent-1"] }, .. Endpoints[1..]];

        foreach (var changed in new[] { moved, agents })
        {
            var reused = CompilationInputs.Prepare(Policies(), changed, ConstitutionalHashSet.Default, previous: first);
            var fresh = CompilationInputs.Prepare(Policies(), changed, ConstitutionalHashSet.Default);

            Assert.NotSame(first.Destinations, reused.Destinations);
            Assert.NotEqual(first.SharedKey, reused.SharedKey);
            Assert.Equal(fresh.SharedKey, reused.SharedKey);
            Assert.Equal(SnapshotCompiler.Compile("svc-a", fresh, Revision).Json, SnapshotCompiler.Compile("svc-a", reused, Revision).Json);
        }
    }

    private sealed class EncodingComparer : IEqualityComparer<(string Version, byte[] Json)>
    {
        public bool Equals((string Version, byte[] Json) x, (string Version, byte[] Json) y) =>
            string.Equals(x.Version, y.Version, StringComparison.Ordinal) && x.Json.AsSpan().SequenceEqual(y.Json);

        public int GetHashCode((string Version, byte[] Json) obj) => StringComparer.Ordinal.GetHashCode(obj.Version);
    }
}
