// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Modes;
using Acgs.Perf.Settings;

namespace Acgs.Perf.Tests.Modes;

public sealed class EfficiencyTableTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("acgs-perf-eff-").FullName;

    public EfficiencyTableTests() => File.WriteAllText(Path.Combine(_root, "Acgs.sln"), "");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Markdown_TwoRates_OneRowPerProxyWithEveryRateAndTheRatioToNginx()
    {
        EfficiencyRow[] rows =
        [
            new("sidecar", 1000, 200, 2584.4, 48.8, 50, 0.359, 3.793, 34.1, true),
            new("nginx", 1000, 100, null, 18.2, 19, 0.346, 5.902, 12.2, true),
            new("sidecar", 6000, 90, 2810, 91.9, 95, 0.2, 0.5, 1.5, false),
            new("nginx", 6000, 60, null, 27, 28, 0.1, 0.2, 0.9, true),
        ];

        var lines = EfficiencyTable.Markdown(rows).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.Contains("CPU µs/req 1k", lines[0], StringComparison.Ordinal);
        Assert.Contains("RSS MiB 6k", lines[0], StringComparison.Ordinal);
        Assert.Equal("| sidecar | 200.0 | 2.00 | 2,584 | 48.8 | 0.359 / 3.793 / 34.100 | 90.0 | 1.50 | 2,810 | 91.9 | 0.200 / 0.500 / 1.500 (INVALID) |", lines[2]);
        Assert.Equal("| nginx | 100.0 | 1.00 | n/a | 18.2 | 0.346 / 5.902 / 12.200 | 60.0 | 1.00 | n/a | 27.0 | 0.100 / 0.200 / 0.900 |", lines[3]);
    }

    [Fact]
    public void Parse_Rates_EfficiencyOnlyAndPositive()
    {
        var (ok, okErrors) = PerfSettings.Parse(["efficiency", "--rates", "1000,6000", "--root", _root]);
        var (_, gateErrors) = PerfSettings.Parse(["gate", "--rates", "1000", "--root", _root]);
        var (_, badErrors) = PerfSettings.Parse(["efficiency", "--rates", "1000,x", "--root", _root]);

        Assert.Empty(okErrors);
        Assert.Equal([1000.0, 6000.0], ok!.Rates);
        Assert.Equal(["--rates: only with efficiency (the other modes run at --rate)"], gateErrors);
        Assert.Equal(["--rates: 'x' is not a positive number (e.g. --rates 1000,6000)"], badErrors);
    }
}
