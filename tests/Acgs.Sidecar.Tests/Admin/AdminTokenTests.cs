// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;
using Acgs.Sidecar.Admin;

namespace Acgs.Sidecar.Tests.Admin;

/// <summary>
/// Where the admin token comes from (docs/limits.md, admin port): the variable, else the token file (read when it
/// exists, else written with a fresh token, owner-only, for the preStop hook), else a token nobody knows.
/// </summary>
public sealed class AdminTokenTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "acgs-admin-token-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Read_NoFile_WritesFreshOwnerOnlyTokenThatMatches()
    {
        var settings = Settings(file: _file);

        var token = AdminToken.Read(settings);

        Assert.True(settings.IsValid, string.Join("; ", settings.Problems));
        Assert.Equal("generated-file", token.Source);
        var written = File.ReadAllText(_file).Trim();
        Assert.True(written.Length >= AdminToken.MinLength, written);
        Assert.True(token.Matches(written));
        Assert.False(token.Matches(written + "x"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_file));
        }

        var again = AdminToken.Read(Settings(file: _file)); // a restart reads the same file: the preStop hook's token stays valid
        Assert.Equal("file", again.Source);
        Assert.True(again.Matches(written));
    }

    [Fact]
    public void Read_FileWithShortToken_ReportedWithoutTheValue()
    {
        File.WriteAllText(_file, "short-secret\n");
        var settings = Settings(file: _file);

        _ = AdminToken.Read(settings);

        var problem = Assert.Single(settings.Problems);
        Assert.Contains(AdminToken.FileVariable, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_VariableWinsOverFile_FileUntouched()
    {
        var token = AdminToken.Read(Settings(token: "env-token-0123456789", file: _file));

        Assert.Equal("environment", token.Source);
        Assert.True(token.Matches("env-token-0123456789"));
        Assert.False(File.Exists(_file));
    }

    [Fact]
    public void Read_Neither_NoPresentedTokenMatches()
    {
        var token = AdminToken.Read(Settings());

        Assert.Equal("none", token.Source);
        Assert.False(token.Matches(string.Empty));
        Assert.False(token.Matches("env-token-0123456789"));
    }

    public void Dispose() => File.Delete(_file);

    private static SettingsReader Settings(string? token = null, string? file = null) => new(name => name switch
    {
        AdminToken.TokenVariable => token,
        AdminToken.FileVariable => file,
        _ => null,
    });
}
