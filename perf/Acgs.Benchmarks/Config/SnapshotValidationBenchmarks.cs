// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Config;
using BenchmarkDotNet.Attributes;

namespace Acgs.Benchmarks.Config;

/// <summary>
/// A sidecar's validation of a received snapshot (five clusters and routes, a one-anchor <c>mutual_tls.trust_bundle</c>):
/// without a memo, every snapshot parses the anchor as an X.509 certificate; with the <see cref="TrustAnchorMemo"/> the
/// sidecar keeps across snapshots, an anchor the previous snapshot held is not parsed again. The validated snapshot's PEM
/// is another string instance than the remembered one, as after parsing each snapshot's JSON.
/// </summary>
[MemoryDiagnoser]
public class SnapshotValidationBenchmarks
{
    private const int Services = 5;

    private readonly TrustAnchorMemo _anchors = new();
    private ConfigSnapshot _snapshot = new();

    [GlobalSetup]
    public void Setup()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = new CertificateRequest("CN=bench-root", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        var pem = root.ExportCertificatePem();
        var clusters = ImmutableDictionary.CreateBuilder<string, ClusterConfig>(StringComparer.Ordinal);
        var routes = ImmutableArray.CreateBuilder<OutboundRoute>();
        for (var i = 0; i < Services; i++)
        {
            var name = "svc-" + i.ToString(CultureInfo.InvariantCulture);
            clusters[name] = new ClusterConfig { Destinations = ["10.0.0." + (i + 1).ToString(CultureInfo.InvariantCulture) + ":15006"] };
            routes.Add(new OutboundRoute { Host = name, Cluster = name });
        }

        var snapshot = new ConfigSnapshot
        {
            Version = "bench-1",
            ServiceName = "svc-bench",
            Clusters = clusters.ToImmutable(),
            Routes = routes.ToImmutable(),
            MutualTls = new MutualTlsConfig { Mode = MutualTlsMode.Strict, TrustBundle = [pem] },
        };
        if (ConfigSnapshotValidator.Validate(snapshot, _anchors).Count != 0)
        {
            throw new InvalidOperationException("the benchmark snapshot must be valid");
        }

        _snapshot = snapshot with { MutualTls = snapshot.MutualTls with { TrustBundle = [new string(pem.AsSpan())] } };
    }

    /// <summary>Validation as before the memo: the anchor parsed on every snapshot.</summary>
    [Benchmark(Baseline = true)]
    public int Validate() => ConfigSnapshotValidator.Validate(_snapshot).Count;

    /// <summary>Validation with the memo carried from the previous snapshot, which held the same anchor.</summary>
    [Benchmark]
    public int ValidateWithAnchorMemo() => ConfigSnapshotValidator.Validate(_snapshot, _anchors).Count;
}
