// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Tools.Tests.LocalMesh;

/// <summary>
/// The tests that start a whole local mesh (13 .NET processes): one collection, so xunit runs them one after
/// the other instead of starting two meshes at once on a small machine.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalMeshGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "local mesh";
}
