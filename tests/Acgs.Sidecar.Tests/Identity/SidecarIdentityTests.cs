// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Text.Json.Nodes;
using Acgs.Sidecar.Identity;
using Acgs.Sidecar.Tests.ControlPlaneClient;
using Acgs.Sidecar.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Acgs.Sidecar.Tests.Identity;

/// <summary>A real control plane (separate process) issues a real sidecar its workload certificate; renewal on fake time.</summary>
public sealed class SidecarIdentityTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "acgs-identity", Guid.NewGuid().ToString("N"));
    private ControlPlaneProcess _plane = null!;
    private TestUpstream _app = null!;

    public async Task InitializeAsync()
    {
        _plane = await ControlPlaneProcess.StartAsync(Path.Combine(_directory, "cp"));
        _app = await TestUpstream.StartAsync("app");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _plane.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Start_JoinToken_CertificateBeforeReadyAndShownOnIdentity()
    {
        using var admin = _plane.AdminClient();
        var token = await IdentityTestMesh.MintAsync(admin, "orders");
        await using var sidecar = await IdentityTestMesh.StartAsync(_app.Port, "orders", IdentityTestMesh.Settings(_plane.Address, "orders", token));

        Assert.Equal(HttpStatusCode.OK, await sidecar.WaitForAdminStatusAsync("/health/ready", HttpStatusCode.OK));
        var identity = JsonNode.Parse(await sidecar.AdminGetStringAsync("/identity"))!;
        Assert.Equal("spiffe://acgs.local/svc/orders", (string?)identity["spiffe_id"]);
        Assert.Equal("cdd01ef066bc6cf2", (string?)identity["constitutional_hash"]);
        Assert.DoesNotContain("PRIVATE", await sidecar.AdminGetStringAsync("/identity"), StringComparison.Ordinal);
        var current = sidecar.Host.Services.GetRequiredService<WorkloadIdentity>().Current!;
        Assert.True(current.Certificate.HasPrivateKey);
        var metrics = await sidecar.AdminGetStringAsync("/metrics");
        var expiry = System.Text.RegularExpressions.Regex.Match(metrics, "acgs_identity_cert_expiry_seconds ([0-9.e+]+)");
        Assert.True(expiry.Success);
        Assert.Equal(current.NotAfter.ToUnixTimeSeconds(), (long)double.Parse(expiry.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Start_ControlPlaneUnreachable_NotReadyWithReason()
    {
        var nowhere = new Uri($"http://127.0.0.1:{SidecarTestHost.FreePort()}");
        await using var sidecar = await IdentityTestMesh.StartAsync(_app.Port, "orders", IdentityTestMesh.Settings(nowhere, "orders", "0011223344556677.x"));

        var ready = JsonNode.Parse((await WaitForReasonAsync(sidecar))[4..])!;
        Assert.Contains(ready["reasons"]!.AsArray(), r => ((string)r!).StartsWith("no workload certificate yet", StringComparison.Ordinal));
        using var response = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/identity"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Renewal_HalfLifePassesOnFakeTime_NewCertificateForTheSameIdentity()
    {
        using var admin = _plane.AdminClient();
        var token = await IdentityTestMesh.MintAsync(admin, "orders");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var sidecar = await IdentityTestMesh.StartAsync(_app.Port, "orders", IdentityTestMesh.Settings(_plane.Address, "orders", token), time);
        var first = await IdentityTestMesh.WaitForIdentityAsync(sidecar, j => j["serial"] is not null);

        time.Advance(TimeSpan.FromHours(10));
        await Task.Yield();
        Assert.Equal(1, (long)(await IdentityTestMesh.WaitForIdentityAsync(sidecar, _ => true))["certificates_obtained"]!);
        time.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(30));

        var renewed = await IdentityTestMesh.WaitForIdentityAsync(sidecar, j => (long)j["certificates_obtained"]! == 2);
        Assert.NotEqual((string?)first["serial"], (string?)renewed["serial"]);
        Assert.Equal((string?)first["spiffe_id"], (string?)renewed["spiffe_id"]);
    }

    private static Task<string> WaitForReasonAsync(SidecarTestHost sidecar) =>
        Acgs.Testing.Eventually.ValueAsync(
            async () =>
            {
                using var response = await sidecar.Client.GetAsync(new Uri(sidecar.Admin, "/health/ready"));
                return (int)response.StatusCode + " " + await response.Content.ReadAsStringAsync();
            },
            text => text.StartsWith("503 ", StringComparison.Ordinal) && text.Contains("no workload certificate yet", StringComparison.Ordinal)
                && text.Contains("connection", StringComparison.OrdinalIgnoreCase));
}
