// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Config;
using Xunit;

namespace Acgs.Contracts.Tests.Config;

/// <summary>The sidecar's <see cref="TrustAnchorMemo"/>: same errors as without it, re-checks a changed bundle, never grows.</summary>
public sealed class TrustAnchorMemoTests
{
    private static readonly string Good = CreateAnchor();
    private static readonly string Other = CreateAnchor();

    [Fact]
    public void Validate_WithAnchorMemo_ReportsWhatValidationWithoutMemoReports()
    {
        var snapshot = Snapshot(Good, "not a pem", null!);
        var memo = new TrustAnchorMemo();

        var first = ConfigSnapshotValidator.Validate(snapshot, memo);
        var second = ConfigSnapshotValidator.Validate(snapshot, memo);

        var expected = ConfigSnapshotValidator.Validate(snapshot);
        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
        Assert.Equal(["mutual_tls.trust_bundle[1]: is not a PEM certificate", "mutual_tls.trust_bundle[2]: is not a PEM certificate"], second);
        Assert.Empty(ConfigSnapshotValidator.Validate(Snapshot(Good), memo));
    }

    [Fact]
    public void Validate_BadAnchorReplacesRememberedGoodOne_ReportsIt()
    {
        var memo = new TrustAnchorMemo();
        Assert.Empty(ConfigSnapshotValidator.Validate(Snapshot(Good, Other), memo));

        var replaced = ConfigSnapshotValidator.Validate(Snapshot(Good, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"), memo);
        var keptGood = memo.Contains(Good) && !memo.Contains(Other);
        var alone = ConfigSnapshotValidator.Validate(Snapshot("not a pem"), memo);
        var restored = ConfigSnapshotValidator.Validate(Snapshot(Other, Good), memo);

        Assert.Equal(["mutual_tls.trust_bundle[1]: is not a PEM certificate"], replaced);
        Assert.True(keptGood);
        Assert.Equal(["mutual_tls.trust_bundle[0]: is not a PEM certificate"], alone);
        Assert.Empty(restored);
    }

    [Fact]
    public void Validate_RememberedAnchor_IsNotParsedAgain()
    {
        // A memo holding a PEM as valid (as only a parse could have put it there) answers without parsing it:
        // the memo is what saves the parse. Seeded directly since no real PEM parses one way and then the other.
        var memo = new TrustAnchorMemo();
        memo.Remember([new TrustAnchorMemo.Anchor("seeded as valid", true)]);

        Assert.Empty(ConfigSnapshotValidator.Validate(Snapshot("seeded as valid"), memo));
        Assert.NotEmpty(ConfigSnapshotValidator.Validate(Snapshot("seeded as valid")));
    }

    [Fact]
    public void Validate_NewBundle_MemoHoldsOnlyItsAnchors()
    {
        var memo = new TrustAnchorMemo();
        ConfigSnapshotValidator.Validate(Snapshot(Good, Other), memo);
        Assert.Equal(2, memo.Count);

        ConfigSnapshotValidator.Validate(Snapshot("not a pem"), memo);

        Assert.Equal(1, memo.Count);
        Assert.True(memo.Contains("not a pem"));
        Assert.False(memo.Contains(Good));
        Assert.False(memo.Contains(Other));
    }

    [Fact]
    public void Validate_BundleOverMaxAnchors_RemembersAtMostMaxAnchorsSameErrors()
    {
        var bundle = Enumerable.Range(0, MutualTlsConfig.MaxAnchors + 2).Select(i => "bad " + i).ToArray();
        var memo = new TrustAnchorMemo();

        var errors = ConfigSnapshotValidator.Validate(Snapshot(bundle), memo);

        Assert.Equal(ConfigSnapshotValidator.Validate(Snapshot(bundle)), errors);
        Assert.Equal(MutualTlsConfig.MaxAnchors + 3, errors.Count);
        Assert.Equal(MutualTlsConfig.MaxAnchors, memo.Count);
        Assert.False(memo.Contains(bundle[^1]));
    }

    [Fact]
    public void Validate_SnapshotWithoutMutualTlsOrNull_ForgetsAnchors()
    {
        var memo = new TrustAnchorMemo();
        ConfigSnapshotValidator.Validate(Snapshot(Good), memo);

        ConfigSnapshotValidator.Validate(Snapshot(Good) with { MutualTls = null }, memo);
        var withoutMutualTls = memo.Count;
        ConfigSnapshotValidator.Validate(Snapshot(Good), memo);
        ConfigSnapshotValidator.Validate(null, memo);

        Assert.Equal(0, withoutMutualTls);
        Assert.Equal(0, memo.Count);
    }

    [Fact]
    public void Validate_SameBundle_KeepsRememberedArray()
    {
        var memo = new TrustAnchorMemo();
        ConfigSnapshotValidator.Validate(Snapshot(Good, Other), memo);
        var before = memo.Current;

        ConfigSnapshotValidator.Validate(Snapshot(new string(Good.AsSpan()), new string(Other.AsSpan())), memo);

        Assert.Same(before, memo.Current);
    }

    private static ConfigSnapshot Snapshot(params string[] anchors) => new()
    {
        Version = "v1",
        ServiceName = "policy-registry",
        MutualTls = new MutualTlsConfig { TrustBundle = [.. anchors] },
    };

    private static string CreateAnchor()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = new CertificateRequest("CN=root", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return root.ExportCertificatePem();
    }
}
