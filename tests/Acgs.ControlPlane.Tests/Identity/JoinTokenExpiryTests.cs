// Constitutional Hash: cdd01ef066bc6cf2

using System.Security.Cryptography;
using Acgs.ControlPlane.Identity;
using Acgs.ControlPlane.Store;
using Acgs.ControlPlane.Telemetry;
using Acgs.Contracts.Identity;
using Acgs.Core.ConstitutionalHash;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>Expiry of join tokens and certificates on a <see cref="FakeTimeProvider"/> (the service without HTTP).</summary>
public sealed class JoinTokenExpiryTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private EmbeddedPolicyStore _store = null!;
    private EmbeddedIdentityStore _identityStore = null!;
    private CertificateAuthorityProvider _provider = null!;
    private IdentityService _service = null!;

    public async Task InitializeAsync()
    {
        _store = new EmbeddedPolicyStore(_directory);
        await _store.InitializeAsync(default);
        _identityStore = new EmbeddedIdentityStore(_directory);
        var options = new IdentityOptions { CertificateTtl = TimeSpan.FromHours(1) };
        _provider = new CertificateAuthorityProvider(options, _identityStore, _time);
        await _provider.StartAsync(default);
        _service = new IdentityService(options, _provider, _identityStore, _store, ConstitutionalHashSet.Default, null, _time,
            new IdentityMetrics(new ControlPlaneMetrics().Registry), NullLogger<IdentityService>.Instance);
    }

    public Task DisposeAsync()
    {
        Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider.Dispose();
        _identityStore.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task Sign_TokenPastItsTtl_RefusedExpired()
    {
        var (token, _) = await _service.MintAsync(new JoinTokenRequest { Service = "orders", TtlSeconds = 60 }, "admin", default);
        _time.Advance(TimeSpan.FromSeconds(60));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var (issued, refusal) = await _service.SignAsync(new CsrRequest { Csr = Csrs.Forged(key), ConstitutionalHash = Csrs.Hash, JoinToken = token!.Token }, "test", default);

        Assert.Null(issued);
        Assert.Equal((401, "join_token_expired"), (refusal!.Status, refusal.Reason));
    }

    [Fact]
    public async Task Sign_RenewalWithExpiredCertificate_RefusedInvalid()
    {
        var (token, _) = await _service.MintAsync(new JoinTokenRequest { Service = "orders" }, "admin", default);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (issued, _) = await _service.SignAsync(new CsrRequest { Csr = Csrs.Forged(key), ConstitutionalHash = Csrs.Hash, JoinToken = token!.Token }, "test", default);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromHours(1), issued!.NotAfter);
        Assert.Equal(_time.GetUtcNow() - TimeSpan.FromMinutes(5), issued.NotBefore);
        var renewal = new CsrRequest { Csr = Csrs.Forged(key), ConstitutionalHash = Csrs.Hash, Certificate = issued.Certificate };
        Assert.NotNull((await _service.SignAsync(renewal, "test", default)).Issued);

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var (_, refusal) = await _service.SignAsync(renewal, "test", default);
        Assert.Equal((401, "certificate_invalid"), (refusal!.Status, refusal.Reason));
    }
}
