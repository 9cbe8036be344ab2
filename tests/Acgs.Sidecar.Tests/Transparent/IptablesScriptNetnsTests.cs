// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Tests.Transparent;

/// <summary>deploy/iptables/acgs-iptables.sh applied for real, in a throw-away network namespace.</summary>
public sealed class IptablesScriptNetnsTests
{
    [NetnsFact]
    public async Task Apply_TwiceThenCleanup_OneCopyOfEachRuleThenNone()
    {
        await using var ns = await NetworkNamespace.CreateAsync();
        var ip = NetworkNamespace.Tool("ip");
        var script = RepositoryPaths.IptablesScript();

        await CommandRunner.RunCheckedAsync(ip, "netns", "exec", ns.Name, "bash", script, "--ipv6", "--exclude-outbound-ports", "6379");
        await CommandRunner.RunCheckedAsync(ip, "netns", "exec", ns.Name, "bash", script, "--ipv6", "--exclude-outbound-ports", "6379");
        var v4 = await CommandRunner.RunCheckedAsync(ip, "netns", "exec", ns.Name, "iptables-save", "-t", "nat");
        var v6 = await CommandRunner.RunCheckedAsync(ip, "netns", "exec", ns.Name, "ip6tables-save", "-t", "nat");

        // Every rule of the dry run is installed exactly once (iptables-save prints "-m tcp" for --dport and "-p tcp" first).
        Assert.Equal(1, Occurrences(v4, "-A PREROUTING -p tcp -j ACGS_INBOUND"));
        Assert.Equal(1, Occurrences(v4, "-A OUTPUT -p tcp -j ACGS_OUTBOUND"));
        Assert.Equal(1, Occurrences(v4, "-A ACGS_OUTBOUND -p tcp -m tcp --dport 6379 -j RETURN"));
        Assert.Equal(1, Occurrences(v4, "-A ACGS_OUTBOUND -m owner --uid-owner 1337 -j RETURN"));
        Assert.Equal(1, Occurrences(v4, "-A ACGS_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006"));
        Assert.Equal(1, Occurrences(v6, "-A ACGS_OUTBOUND -d ::1/128 -j RETURN"));
        Assert.Equal(1, Occurrences(v6, "-A ACGS_OUT_REDIRECT -p tcp -j REDIRECT --to-ports 15001"));

        await CommandRunner.RunCheckedAsync(ip, "netns", "exec", ns.Name, "bash", script, "--ipv6", "--cleanup");
        v4 = await CommandRunner.RunCheckedAsync(ip, "netns", "exec", ns.Name, "iptables-save", "-t", "nat");
        v6 = await CommandRunner.RunCheckedAsync(ip, "netns", "exec", ns.Name, "ip6tables-save", "-t", "nat");

        Assert.DoesNotContain("ACGS_", v4, StringComparison.Ordinal);
        Assert.DoesNotContain("ACGS_", v6, StringComparison.Ordinal);
    }

    private static int Occurrences(string text, string line)
    {
        var count = 0;
        foreach (var candidate in text.Split('\n'))
        {
            count += candidate.TrimEnd() == line ? 1 : 0;
        }

        return count;
    }
}
