// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Acgs.ControlPlane.Tests.Policies;

/// <summary>
/// A control plane on the embedded store behind a real Kestrel listener, with an admin client, for the policy kinds' REST
/// tests; with a <c>policyId</c> that policy is created before each test.
/// </summary>
public abstract class PolicyApiTestBase(string? policyId = null) : IAsyncLifetime
{
    private readonly string _directory = ControlPlaneHost.NewDataDirectory();

    /// <summary>The running control plane.</summary>
    protected ControlPlaneHost Host { get; private set; } = null!;

    /// <summary>A client with the admin token.</summary>
    protected HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await ControlPlaneHost.StartEmbeddedAsync(_directory);
        Admin = Host.AdminClient();
        if (policyId is not null)
        {
            Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/v1/policies", new JsonObject { ["id"] = policyId })).StatusCode);
        }
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
