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
    public void FromEnvironment_Nothing_LimitsAreTheDocumentedDefaults()
    {
        var options = BusOptions.FromEnvironment(new Dictionary<string, string?>(), out var errors);

        Assert.Empty(errors);
        Assert.Equal("127.0.0.1", options.HttpAddress);
        Assert.Equal(1024, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RegisterTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.FrameTimeout);
        Assert.Equal(TimeSpan.FromSeconds(300), options.IdleTimeout);
        Assert.Equal(64L * 1024 * 1024, options.ConnectionQueueBytes);
        Assert.Equal(512L * 1024 * 1024, options.TotalQueueBytes);
        Assert.Equal(1024, options.MaxHttpSenders);
    }

    [Fact]
    public void FromEnvironment_Limits_AreRead()
    {
        var options = BusOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ACGS_BUS_HTTP_ADDRESS"] = "0.0.0.0",
            ["ACGS_BUS_MAX_CONNECTIONS"] = "50",
            ["ACGS_BUS_REGISTER_TIMEOUT_SECONDS"] = "2.5",
            ["ACGS_BUS_FRAME_TIMEOUT_SECONDS"] = "5",
            ["ACGS_BUS_IDLE_TIMEOUT_SECONDS"] = "60",
            ["ACGS_BUS_CONNECTION_QUEUE_MIB"] = "8",
            ["ACGS_BUS_TOTAL_QUEUE_MIB"] = "32",
            ["ACGS_BUS_MAX_HTTP_SENDERS"] = "0",
        }, out var errors);

        Assert.Empty(errors);
        Assert.Equal("0.0.0.0", options.HttpAddress);
        Assert.Equal(50, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.RegisterTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.FrameTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), options.IdleTimeout);
        Assert.Equal(8L * 1024 * 1024, options.ConnectionQueueBytes);
        Assert.Equal(32L * 1024 * 1024, options.TotalQueueBytes);
        Assert.Equal(0, options.MaxHttpSenders);
    }

    [Fact]
    public void FromEnvironment_BadLimits_OneLineEach()
    {
        BusOptions.FromEnvironment(new Dictionary<string, string?>
        {
            ["ACGS_BUS_HTTP_ADDRESS"] = "localhost-ish",
            ["ACGS_BUS_MAX_CONNECTIONS"] = "0",
            ["ACGS_BUS_REGISTER_TIMEOUT_SECONDS"] = "soon",
            ["ACGS_BUS_FRAME_TIMEOUT_SECONDS"] = "-1",
            ["ACGS_BUS_IDLE_TIMEOUT_SECONDS"] = "0",
            ["ACGS_BUS_CONNECTION_QUEUE_MIB"] = "1",
            ["ACGS_BUS_MAX_HTTP_SENDERS"] = "many",
        }, out var errors);

        foreach (var name in new[]
        {
            "ACGS_BUS_HTTP_ADDRESS", "ACGS_BUS_MAX_CONNECTIONS", "ACGS_BUS_REGISTER_TIMEOUT_SECONDS", "ACGS_BUS_FRAME_TIMEOUT_SECONDS",
            "ACGS_BUS_IDLE_TIMEOUT_SECONDS", "ACGS_BUS_CONNECTION_QUEUE_MIB", "ACGS_BUS_MAX_HTTP_SENDERS",
        })
        {
            Assert.Single(errors, e => e.Contains(name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_TotalBudgetBelowConnectionBudget_IsAnError()
    {
        var errors = new BusOptions { ConnectionQueueBytes = 64L * 1024 * 1024, TotalQueueBytes = 8L * 1024 * 1024 }.Validate();

        Assert.Contains(errors, e => e.Contains("ACGS_BUS_TOTAL_QUEUE_MIB", StringComparison.Ordinal));
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
