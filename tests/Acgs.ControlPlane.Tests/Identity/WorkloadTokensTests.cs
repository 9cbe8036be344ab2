// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Identity;

namespace Acgs.ControlPlane.Tests.Identity;

/// <summary>The workload token's format: signed by the CA, bound to its claims, refused once expired or by another CA.</summary>
public sealed class WorkloadTokensTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _ca = NewCa();
    private readonly WorkloadToken _claims = new("spiffe://acgs.local/svc/orders", "orders", "orders-1", new string('a', 64), Now.AddHours(1));

    public void Dispose() => _ca.Dispose();

    [Fact]
    public void Verify_IssuedBySameCaBeforeExpiry_ReturnsTheClaims()
    {
        var token = WorkloadTokens.Issue(_ca, _claims);

        Assert.StartsWith(WorkloadTokens.Prefix, token, StringComparison.Ordinal);
        Assert.Equal(_claims, WorkloadTokens.Verify(_ca, token, Now, out var reason));
        Assert.Equal(string.Empty, reason);
    }

    [Fact]
    public void Verify_AtOrAfterExpiry_NullExpired()
    {
        var token = WorkloadTokens.Issue(_ca, _claims);

        Assert.Null(WorkloadTokens.Verify(_ca, token, _claims.ExpiresAt, out var reason));
        Assert.Equal("expired", reason);
    }

    [Fact]
    public void Verify_OtherCaOrChangedClaims_NullSignature()
    {
        using var other = NewCa();
        var token = WorkloadTokens.Issue(other, _claims);
        var mine = WorkloadTokens.Issue(_ca, _claims);
        var widened = WorkloadTokens.Issue(_ca, _claims with { Service = "audit-ledger" });
        var spliced = mine[..mine.LastIndexOf('.')].Replace(mine.Split('.')[1], widened.Split('.')[1], StringComparison.Ordinal) + mine[mine.LastIndexOf('.')..];

        Assert.Null(WorkloadTokens.Verify(_ca, token, Now, out var reason));
        Assert.Equal("signature", reason);
        Assert.Null(WorkloadTokens.Verify(_ca, spliced, Now, out reason));
        Assert.Equal("signature", reason);
    }

    [Theory]
    [InlineData("acgs-wt1.")]
    [InlineData("acgs-wt1.abc")]
    [InlineData("acgs-wt1.!!!.???")]
    [InlineData("not-a-workload-token")]
    public void Verify_Malformed_NullMalformed(string token)
    {
        Assert.Null(WorkloadTokens.Verify(_ca, token, Now, out var reason));
        Assert.Equal("malformed", reason);
    }

    [Theory]
    [InlineData("spiffe://acgs.local/svc/orders", "orders")]
    [InlineData("spiffe://acgs.local/ns/shop/sa/orders", "orders")]
    [InlineData("spiffe://acgs.local/ns/shop/sa/Bad Name", null)]
    [InlineData("spiffe://acgs.local/other", null)]
    public void ServiceOf_SpiffeId_ServiceOrNull(string spiffeId, string? expected) => Assert.Equal(expected, WorkloadTokens.ServiceOf(spiffeId));

    private static CertificateAuthority NewCa()
    {
        var errors = new List<string>();
        return CertificateAuthorityLoader.FromStoredPem(CertificateAuthorityLoader.Generate("acgs.local", Now), new IdentityOptions(), errors)
            ?? throw new InvalidOperationException(string.Join("; ", errors));
    }
}
