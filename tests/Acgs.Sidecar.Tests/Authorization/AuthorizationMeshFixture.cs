// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tests.Authorization;

/// <summary>One <see cref="AuthorizationMesh"/> shared by the tests of a class (they run one after another).</summary>
public sealed class AuthorizationMeshFixture : IAsyncLifetime
{
    internal AuthorizationMesh Mesh { get; private set; } = null!;

    public async Task InitializeAsync() => Mesh = await AuthorizationMesh.StartAsync();

    public async Task DisposeAsync() => await Mesh.DisposeAsync();
}
