// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.Tests.Config;

/// <summary>BootstrapLoader reads every setting through one reader: file section &lt; environment, every problem at once.</summary>
public sealed class BootstrapSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("acgs-sidecar-settings-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_FileSectionAndEnvironment_EnvironmentWinsFileBeatsDefault()
    {
        var path = File("""{ "admin_port": 15100, "outbound_port": 15101, "drain_timeout_seconds": 3 }""");

        var fromFile = BootstrapLoader.Load(["--config", path], new Dictionary<string, string?>());
        var fromEnv = BootstrapLoader.Load(["--config", path], new Dictionary<string, string?> { ["ACGS_ADMIN_PORT"] = "15200", ["ACGS_DRAIN_TIMEOUT_SECONDS"] = "0.5" });

        Assert.Empty(fromFile.Errors);
        Assert.Equal(15100, fromFile.Bootstrap!.Options.AdminPort);
        Assert.Equal(TimeSpan.FromSeconds(3), fromFile.Bootstrap.Options.DrainTimeout);
        Assert.Equal(15006, fromFile.Bootstrap.Options.InboundPort);
        Assert.Empty(fromEnv.Errors);
        Assert.Equal(15200, fromEnv.Bootstrap!.Options.AdminPort);
        Assert.Equal(15101, fromEnv.Bootstrap.Options.OutboundPort);
        Assert.Equal(TimeSpan.FromMilliseconds(500), fromEnv.Bootstrap.Options.DrainTimeout);
    }

    [Theory]
    [InlineData(null, 2.0, null)]
    [InlineData("0.5", 0.5, null)]
    [InlineData("0", 0.0, null)] // no limit
    [InlineData("-1", 2.0, "ACGS_MTLS_OVERFLOW_OPEN_RATE: must be a number from 0 to 10000 (got '-1')")]
    [InlineData("10001", 2.0, "ACGS_MTLS_OVERFLOW_OPEN_RATE: must be a number from 0 to 10000 (got '10001')")]
    [InlineData("fast", 2.0, "ACGS_MTLS_OVERFLOW_OPEN_RATE: must be a number from 0 to 10000 (got 'fast')")]
    public void Load_MtlsOverflowOpenRate_ParsedOrOneLineError(string? value, double expected, string? expectedError)
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_MTLS_OVERFLOW_OPEN_RATE"] = value });

        if (expectedError is null)
        {
            Assert.Empty(result.Errors);
            Assert.Equal(expected, result.Bootstrap!.Options.MeshOverflowOpenRate);
        }
        else
        {
            Assert.Equal(expectedError, Assert.Single(result.Errors));
        }
    }

    [Theory]
    [InlineData(null, 4, null)]
    [InlineData("16", 16, null)]
    [InlineData("0", 4, "ACGS_MTLS_OVERFLOW_OPEN_BURST: must be a whole number from 1 to 4096 (got '0')")]
    [InlineData("4097", 4, "ACGS_MTLS_OVERFLOW_OPEN_BURST: must be a whole number from 1 to 4096 (got '4097')")]
    [InlineData("lots", 4, "ACGS_MTLS_OVERFLOW_OPEN_BURST: must be a whole number from 1 to 4096 (got 'lots')")]
    public void Load_MtlsOverflowOpenBurst_ParsedOrOneLineError(string? value, int expected, string? expectedError)
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_MTLS_OVERFLOW_OPEN_BURST"] = value });

        if (expectedError is null)
        {
            Assert.Empty(result.Errors);
            Assert.Equal(expected, result.Bootstrap!.Options.MeshOverflowOpenBurst);
        }
        else
        {
            Assert.Equal(expectedError, Assert.Single(result.Errors));
        }
    }

    [Theory]
    [InlineData(null, 100, null)]
    [InlineData("8", 8, null)]
    [InlineData("0", 100, "ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS: must be a whole number from 1 to 4096 (got '0')")]
    [InlineData("4097", 100, "ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS: must be a whole number from 1 to 4096 (got '4097')")]
    [InlineData("many", 100, "ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS: must be a whole number from 1 to 4096 (got 'many')")]
    public void Load_MtlsOverflowMaxConnections_ParsedOrOneLineError(string? value, int expected, string? expectedError)
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_MTLS_OVERFLOW_MAX_CONNECTIONS"] = value });

        if (expectedError is null)
        {
            Assert.Empty(result.Errors);
            Assert.Equal(expected, result.Bootstrap!.Options.MeshOverflowMaxConnections);
        }
        else
        {
            Assert.Equal(expectedError, Assert.Single(result.Errors));
        }
    }

    [Theory]
    [InlineData(null, 50, null)]
    [InlineData("0", 0, null)]
    [InlineData("60001", 50, "ACGS_MTLS_OVERFLOW_AFTER_MS: must be a whole number of milliseconds from 0 to 60000 (got '60001')")]
    [InlineData("soon", 50, "ACGS_MTLS_OVERFLOW_AFTER_MS: must be a whole number of milliseconds from 0 to 60000 (got 'soon')")]
    public void Load_MtlsOverflowAfter_ParsedOrOneLineError(string? value, int expectedMs, string? expectedError)
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_MTLS_OVERFLOW_AFTER_MS"] = value });

        if (expectedError is null)
        {
            Assert.Empty(result.Errors);
            Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), result.Bootstrap!.Options.MeshOverflowAfter);
        }
        else
        {
            Assert.Equal(expectedError, Assert.Single(result.Errors));
        }
    }

    [Theory]
    [InlineData(null, null, "Auto", null)]
    [InlineData("auto", null, "Auto", null)]
    [InlineData("H2", null, "H2", null)]
    [InlineData("http1", null, "Http1", null)]
    [InlineData(null, "true", "H2", null)] // the older switch: true forces HTTP/2
    [InlineData(null, "false", "Http1", null)] // false forces HTTP/1.1
    [InlineData("auto", "true", "Auto", null)] // the new variable wins
    [InlineData("http2", null, "Auto", "ACGS_MTLS_HOP_PROTOCOL: must be auto, h2 or http1 (got 'http2')")]
    [InlineData(null, "maybe", "H2", "ACGS_MTLS_HTTP2: must be 1, 0, true, false, yes, no, on or off (got 'maybe')")]
    public void Load_MtlsHopProtocol_ParsedOrOneLineError(string? hop, string? http2, string expected, string? expectedError)
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?> { ["ACGS_MTLS_HOP_PROTOCOL"] = hop, ["ACGS_MTLS_HTTP2"] = http2 });

        if (expectedError is null)
        {
            Assert.Empty(result.Errors);
            Assert.Equal(Enum.Parse<MeshHopProtocol>(expected), result.Bootstrap!.Options.MeshHop);
        }
        else
        {
            Assert.Equal(expectedError, Assert.Single(result.Errors));
        }
    }

    [Fact]
    public void Load_InvalidFileValue_ReportedUnlessTheEnvironmentOverridesIt()
    {
        var path = File("""{ "app_port": 0 }""");

        var invalid = BootstrapLoader.Load(["--config", path], new Dictionary<string, string?>());
        var overridden = BootstrapLoader.Load(["--config", path], new Dictionary<string, string?> { ["ACGS_APP_PORT"] = "8081" });

        Assert.Equal("sidecar.app_port (ACGS_APP_PORT): must be a whole number from 1 to 65535 (got '0')", Assert.Single(invalid.Errors));
        Assert.Empty(overridden.Errors);
    }

    [Fact]
    public void Load_InvalidSettingsOfEveryPart_AllListedTogetherOneLineEach()
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?>
        {
            ["ACGS_ADMIN_PORT"] = "abc",
            ["ACGS_HASH_MODE"] = "Bogus",
            ["ACGS_OUTBOUND_TCP_PASSTHROUGH"] = "maybe",
            ["ACGS_KESTREL_IO_QUEUES"] = "-1",
            ["ACGS_CONTROL_PLANE_URL"] = "http://cp:8000",
            ["ACGS_SERVICE_NAME"] = "orders",
            ["ACGS_AGENT_REPORT_MS"] = "0",
            ["ACGS_BUS_PORT"] = "x",
        });

        Assert.Null(result.Bootstrap);
        Assert.Equal(
        [
            "ACGS_ADMIN_PORT: must be a port number from 0 to 65535 (got 'abc')",
            "ACGS_HASH_MODE: must be enforce, audit or off (got 'Bogus')",
            "ACGS_OUTBOUND_TCP_PASSTHROUGH: must be 1, 0, true, false, yes, no, on or off (got 'maybe')",
            "ACGS_KESTREL_IO_QUEUES: must be a whole number from 0 to 1024 (got '-1')",
            "ACGS_AGENT_REPORT_MS: must be a whole number of milliseconds from 1 to 600000 (got '0')",
            "ACGS_BUS_PORT: must be a port number from 0 to 65535 (got 'x')",
        ], result.Errors);
    }

    [Fact]
    public void Load_ValidSettings_CarriesTransparentSocketAndBusSettings()
    {
        var result = BootstrapLoader.Load([], new Dictionary<string, string?>
        {
            ["ACGS_OUTBOUND_PASSTHROUGH"] = "off",
            ["ACGS_KESTREL_BACKLOG"] = "1024",
            ["ACGS_BUS_INLINE_TRANSPORT"] = "no",
            ["ACGS_HASH_MODE"] = "AUDIT",
        });

        Assert.Empty(result.Errors);
        Assert.False(result.Bootstrap!.Transparent.OutboundPassthrough);
        Assert.True(result.Bootstrap.Transparent.ReadOriginalDestination);
        Assert.Equal(1024, result.Bootstrap.Sockets.Backlog);
        Assert.False(result.Bus!.InlineTransport);
        Assert.Equal(Contracts.Config.HashMode.Audit, result.Bootstrap.Snapshot.HashPolicy.Mode);
    }

    private string File(string sidecarSection)
    {
        var path = Path.Combine(_dir, "bootstrap.json");
        System.IO.File.WriteAllText(path, $$"""
            { "constitutional_hash": "cdd01ef066bc6cf2", "version": "v1", "service_name": "orders", "sidecar": {{sidecarSection}} }
            """);
        return path;
    }
}
