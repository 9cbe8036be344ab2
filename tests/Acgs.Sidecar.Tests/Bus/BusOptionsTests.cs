// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Bus;
using Xunit;

namespace Acgs.Sidecar.Tests.Bus;

public class BusOptionsTests
{
    [Fact]
    public void FromEnvironment_Nothing_IsTheDocumentedDefaults()
    {
        var options = BusOptions.FromEnvironment(new Dictionary<string, string?>(), out var errors);

        Assert.Empty(errors);
        Assert.Equal(8080, options.Port);
        Assert.Equal(8082, options.HttpPort);
        Assert.Equal("0.0.0.0", options.Address);
        Assert.False(options.UseStore);
    }

    [Fact]
    public void FromEnvironment_DirectoryAndStore_AreRead()
    {
        var options = BusOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ACGS_BUS_PORT"] = "9000",
            ["ACGS_BUS_DIRECTORY"] = "agentA=127.0.0.1:8080, agentB=127.0.0.1:18080",
            ["REDIS_URL"] = "redis://127.0.0.1:6379/0",
        }, out var errors);

        Assert.Empty(errors);
        Assert.Equal(9000, options.Port);
        Assert.Equal("127.0.0.1:18080", options.Directory["agentB"]);
        Assert.True(options.UseStore);
    }

    [Fact]
    public void FromEnvironment_ControlCapacity_IsReadAndBoundsReportedWithTheOtherErrors()
    {
        var options = BusOptions.FromEnvironment(new Dictionary<string, string?> { ["ACGS_BUS_CONTROL_CAPACITY"] = "512" }, out var errors);
        Assert.Empty(errors);
        Assert.Equal(512, options.ControlCapacity);
        Assert.Equal(16_384, BusOptions.Default.ControlCapacity);

        var invalid = new BusOptions { ControlCapacity = 1, PeerRetryDelay = TimeSpan.FromSeconds(-1), PeerDrainTimeout = TimeSpan.FromSeconds(-1), SlowReaderGrace = TimeSpan.FromSeconds(-1) }.Validate();

        Assert.Equal(4, invalid.Count);
        Assert.Contains(invalid, e => e.Contains("ACGS_BUS_CONTROL_CAPACITY", StringComparison.Ordinal));
    }

    [Fact]
    public void FromEnvironment_SeveralBadValues_ReportsEveryError()
    {
        BusOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ACGS_BUS_PORT"] = "eighty",
            ["ACGS_BUS_HTTP_PORT"] = "70000",
            ["ACGS_BUS_ADDRESS"] = "not-an-ip",
            ["ACGS_BUS_QUEUE_CAPACITY"] = "0",
            ["ACGS_BUS_DIRECTORY"] = "agentA=nowhere,broken",
        }, out var errors);

        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.Contains("ACGS_BUS_PORT", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ACGS_BUS_HTTP_PORT", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ACGS_BUS_ADDRESS", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ACGS_BUS_QUEUE_CAPACITY", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'agentA'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("'broken'", StringComparison.Ordinal));
    }

    [Fact]
    public void FromEnvironment_DirectoryFile_IsMergedWithTheListWinning()
    {
        var path = Path.Combine(Path.GetTempPath(), "acgs-bus-directory-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "{\"constitutional_hash\": \"" + Acgs.Core.AcgsConstants.ConstitutionalHash + "\", \"agents\": {\"agentA\": \"10.0.0.1:8080\", \"agentB\": \"10.0.0.2:8080\"}}");
        try
        {
            var options = BusOptions.FromEnvironment(new Dictionary<string, string?>
            {
                ["ACGS_BUS_DIRECTORY_FILE"] = path,
                ["ACGS_BUS_DIRECTORY"] = "agentB=10.0.0.3:8080",
            }, out var errors);

            Assert.Empty(errors);
            Assert.Equal("10.0.0.1:8080", options.Directory["agentA"]);
            Assert.Equal("10.0.0.3:8080", options.Directory["agentB"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryRead_StoreWithBadRedisUrl_ReportsTheRedisError()
    {
        var ok = BusEnvironment.TryRead(new Dictionary<string, string?> { ["REDIS_URL"] = "http://nope" }, out var options, out var redis, out var errors);

        Assert.False(ok);
        Assert.True(options.UseStore);
        Assert.Null(redis);
        Assert.NotEmpty(errors);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData("FALSE", false)]
    public void FromEnvironment_InlineTransport_IsReadWithTrueAsDefault(string? value, bool expected)
    {
        var options = BusOptions.FromEnvironment(new Dictionary<string, string?> { [BusOptions.InlineTransportVariable] = value }, out var errors);

        Assert.Empty(errors);
        Assert.Equal(expected, options.InlineTransport);
    }

    [Fact]
    public void FromEnvironment_InlineTransportNotABoolean_IsReportedWithTheOtherErrors()
    {
        BusOptions.FromEnvironment(new Dictionary<string, string?> { [BusOptions.InlineTransportVariable] = "maybe", [BusOptions.PortVariable] = "x" }, out var errors);

        Assert.Contains(errors, e => e.Contains(BusOptions.InlineTransportVariable, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(BusOptions.PortVariable, StringComparison.Ordinal));
    }
}
