// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Acgs.Contracts.Config;
using Acgs.Core.CircuitBreaker;
using Acgs.Sidecar.Config;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;

namespace Acgs.Sidecar.Tests.Config;

/// <summary>The applier remembers the last snapshot's trust anchors; a bad anchor in a later snapshot is still refused.</summary>
public sealed class ConfigApplierTrustAnchorTests
{
    [Fact]
    public async Task ApplyAsync_BadAnchorReplacesAppliedGoodOne_RejectedPreviousStays()
    {
        var good = CreateAnchor();
        using var applier = new ConfigApplier(SidecarTestHost.Options(1), new NoYarpValidation(), new CircuitBreakerRegistry(), TimeProvider.System, NullLogger<ConfigApplier>.Instance);

        var first = await applier.ApplyAsync(WithBundle("v1", good), ConfigSources.ControlPlane);
        var same = await applier.ApplyAsync(WithBundle("v2", good), ConfigSources.ControlPlane);
        var bad = await applier.ApplyAsync(WithBundle("v3", good, "not a pem"), ConfigSources.ControlPlane);

        Assert.True(first.Accepted);
        Assert.True(same.Accepted);
        Assert.False(bad.Accepted);
        Assert.Equal(["mutual_tls.trust_bundle[1]: is not a PEM certificate"], bad.Errors);
        Assert.Equal("v2", applier.Current.Snapshot.Version);
    }

    private static ConfigSnapshot WithBundle(string version, params string[] anchors) =>
        SidecarTestHost.Snapshot(version: version) with { MutualTls = new MutualTlsConfig { TrustBundle = [.. anchors] } };

    private static string CreateAnchor()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = new CertificateRequest("CN=root", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        return root.ExportCertificatePem();
    }
}
