// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>deploy/iptables/acgs-iptables.sh --dry-run against golden files (no root, nothing applied).</summary>
public sealed class IptablesScriptTests
{
    [Fact]
    public async Task DryRun_Defaults_MatchesGolden()
    {
        var output = await CommandRunner.RunCheckedAsync("bash", RepositoryPaths.IptablesScript(), "--dry-run");

        Assert.Equal(await File.ReadAllTextAsync(RepositoryPaths.Golden("default.rules")), output);
    }

    [Fact]
    public async Task DryRun_CustomFlagsAndIpv6_MatchesGolden()
    {
        var output = await CommandRunner.RunCheckedAsync(
            "bash",
            RepositoryPaths.IptablesScript(),
            "--dry-run",
            "--ipv6",
            "--inbound-port", "16006",
            "--outbound-port", "16001",
            "--proxy-uid", "2000",
            "--include-inbound-ports", "8080,9090",
            "--exclude-inbound-ports", "15020,15090,8081",
            "--exclude-outbound-ports", "6379",
            "--include-outbound-cidrs", "10.0.0.0/8,fd00::/8",
            "--exclude-outbound-cidrs", "10.96.0.10/32");

        Assert.Equal(await File.ReadAllTextAsync(RepositoryPaths.Golden("custom.rules")), output);
    }

    [Fact]
    public async Task DryRun_Defaults_ProxyUidAndAdminPortNeverRedirected()
    {
        var output = await CommandRunner.RunCheckedAsync("bash", RepositoryPaths.IptablesScript(), "--dry-run");
        var lines = output.Split('\n');

        // The admin port returns before the inbound catch-all, the proxy uid before the outbound catch-all.
        Assert.True(Array.IndexOf(lines, "-A ACGS_INBOUND -p tcp --dport 15020 -j RETURN") < Array.IndexOf(lines, "-A ACGS_INBOUND -p tcp -j ACGS_IN_REDIRECT"));
        Assert.True(Array.IndexOf(lines, "-A ACGS_OUTBOUND -m owner --uid-owner 1337 -j RETURN") is > 0 and var uid
            && uid < Array.IndexOf(lines, "-A ACGS_OUTBOUND -j ACGS_OUT_REDIRECT"));
    }

    [Fact]
    public async Task BadArguments_ReportsEveryErrorAndExits2()
    {
        var (code, _, stderr) = await CommandRunner.RunAsync(
            "bash", RepositoryPaths.IptablesScript(), "--dry-run", "--inbound-port", "x", "--exclude-inbound-ports", "15020,70000", "--include-outbound-cidrs", "nope");

        Assert.Equal(2, code);
        Assert.Contains("--inbound-port: 'x'", stderr, StringComparison.Ordinal);
        Assert.Contains("--exclude-inbound-ports: '70000'", stderr, StringComparison.Ordinal);
        Assert.Contains("--include-outbound-cidrs: 'nope'", stderr, StringComparison.Ordinal);
    }
}
