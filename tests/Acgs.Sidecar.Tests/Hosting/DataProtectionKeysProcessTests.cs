// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Tests.Fixtures;

namespace Acgs.Sidecar.Tests.Hosting;

/// <summary>
/// The data-protection key ring that YARP's registration brings stays in memory: a started sidecar writes no key under
/// its home directory (the framework's default was an unencrypted key file in <c>$HOME/.aspnet/DataProtection-Keys</c>).
/// </summary>
public sealed class DataProtectionKeysProcessTests
{
    [Fact]
    public async Task Start_HomeDirectoryGiven_NoKeyWrittenAndNoUnencryptedKeyWarning()
    {
        var home = Directory.CreateTempSubdirectory("acgs-home-");
        try
        {
            await using var app = await TestUpstream.StartAsync("app");
            await using (var sidecar = await SidecarProcess.StartAsync(app.Port, new Dictionary<string, string> { ["HOME"] = home.FullName }))
            {
                Assert.DoesNotContain("XmlKeyManager", sidecar.Output(), StringComparison.Ordinal);
            }

            Assert.Empty(Directory.GetFileSystemEntries(home.FullName, "*", SearchOption.AllDirectories));
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
