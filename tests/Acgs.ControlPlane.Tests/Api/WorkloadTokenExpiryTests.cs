// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Acgs.ControlPlane.Tests.Identity;

namespace Acgs.ControlPlane.Tests.Api;

/// <summary>A workload token lives as long as its certificate (10 s here): a renewal brings a new one; the watch stream ends at expiry.</summary>
public sealed class WorkloadTokenExpiryTests : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();
    private ControlPlaneHost _host = null!;

    public async Task InitializeAsync() => _host = await ControlPlaneHost.StartEmbeddedAsync(_directory,
        extra: new Dictionary<string, string?> { ["ACGS_SIDECAR_AUTH"] = "identity", ["ACGS_CERT_TTL"] = "10s" });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Token_RenewedThenExpired_RenewalAcceptedStreamEndsOldToken401()
    {
        var (answer, key) = await WorkloadClients.EnrollAsync(_host, "orders", "orders-1");
        using var _ = key;
        var first = (string)answer["control_plane_token"]!;
        Assert.True((DateTimeOffset)answer["control_plane_token_expires_at"]! <= (DateTimeOffset)answer["not_after"]!);
        using var watchClient = WorkloadClients.Client(_host.Address, first);
        watchClient.Timeout = Timeout.InfiniteTimeSpan;
        using var stream = await watchClient.GetAsync("/api/v1/discovery/watch?service=orders&node=orders-1&address=127.0.0.1:15006", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        var renewal = new JsonObject
        {
            ["csr"] = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequestPem(),
            ["constitutional_hash"] = Csrs.Hash, ["certificate"] = (string)answer["certificate"]!, ["node"] = "orders-1",
        };
        var renewed = await Csrs.ReadAsync(await Csrs.SignAsync(_host.Client, renewal));
        var second = (string)renewed["control_plane_token"]!;
        Assert.NotEqual(first, second);
        using var renewedClient = WorkloadClients.Client(_host.Address, second);
        Assert.Equal(HttpStatusCode.NoContent, (await renewedClient.PutAsJsonAsync("/api/v1/health/orders/orders-1", WorkloadClients.HealthReport("closed"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await renewedClient.PutAsJsonAsync("/api/v1/health/billing/orders-1", WorkloadClients.HealthReport("closed"))).StatusCode);

        // The stream opened with the first token ends when that token expires (10 s certificate, seconds precision).
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await reader.ReadLineAsync(limit.Token) is not null)
        {
        }

        var expiresAt = (DateTimeOffset)answer["control_plane_token_expires_at"]!;
        Assert.True(DateTimeOffset.UtcNow >= expiresAt.AddMilliseconds(-50));

        // The stream may end up to a timer tick before the expiry instant; the refusal is asserted once that instant has
        // passed (a request sent within the tick would still carry a valid token: the CI run that sent it got 204).
        var untilExpired = expiresAt.AddMilliseconds(200) - DateTimeOffset.UtcNow;
        if (untilExpired > TimeSpan.Zero)
        {
            await Task.Delay(untilExpired);
        }

        using var expired = WorkloadClients.Client(_host.Address, first);
        Assert.Equal(HttpStatusCode.Unauthorized, (await expired.PutAsJsonAsync("/api/v1/health/orders/orders-1", WorkloadClients.HealthReport("closed"))).StatusCode);
    }
}
