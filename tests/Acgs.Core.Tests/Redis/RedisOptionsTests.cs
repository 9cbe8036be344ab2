// Constitutional Hash: cdd01ef066bc6cf2

using System.Net;
using Acgs.Core;
using Acgs.Core.Redis;
using StackExchange.Redis;
using Xunit;

namespace Acgs.Core.Tests.Redis;

public sealed class RedisOptionsTests
{
    private const string Secret = "s3cr3t-P4ss";

    private static Dictionary<string, string?> Vars(params (string Name, string? Value)[] pairs)
    {
        var variables = new Dictionary<string, string?>();
        foreach (var (name, value) in pairs)
        {
            variables[name] = value;
        }

        return variables;
    }

    [Fact]
    public void Parse_NoVariables_UsesDefaults()
    {
        var options = RedisOptions.Parse(Vars());

        Assert.Equal("localhost", options.Host);
        Assert.Equal(6379, options.Port);
        Assert.Equal(0, options.Database);
        Assert.Null(options.User);
        Assert.Null(options.Password);
        Assert.False(options.UseTls);
        Assert.Equal(50, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SocketTimeout);
        Assert.True(options.RetryOnTimeout);
        Assert.Equal(AcgsConstants.DefaultRedisUrl, options.RedactedUrl);
        Assert.Equal(RedisOptions.Default, options);
    }

    [Fact]
    public void Parse_BlankVariables_AreTreatedAsUnset()
    {
        var options = RedisOptions.Parse(Vars(("REDIS_URL", "  "), ("REDIS_DB", ""), ("REDIS_SOCKET_TIMEOUT", null)));

        Assert.Equal(RedisOptions.Default, options);
    }

    [Fact]
    public void Parse_EveryVariable_IsApplied()
    {
        var options = RedisOptions.Parse(Vars(
            ("REDIS_URL", $"rediss://agent:{Secret}@redis.example.internal:6380/2"),
            ("REDIS_DB", "7"),
            ("REDIS_MAX_CONNECTIONS", "200"),
            ("REDIS_SOCKET_TIMEOUT", "0.25"),
            ("REDIS_RETRY_ON_TIMEOUT", "0")));

        Assert.Equal("redis.example.internal", options.Host);
        Assert.Equal(6380, options.Port);
        Assert.True(options.UseTls);
        Assert.Equal("agent", options.User);
        Assert.Equal(Secret, options.Password);
        Assert.Equal(7, options.Database);
        Assert.Equal(200, options.MaxConnections);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.SocketTimeout);
        Assert.False(options.RetryOnTimeout);
    }

    [Theory]
    [InlineData("redis://h:1234/3", "h", 1234, 3)]
    [InlineData("redis://h", "h", 6379, 0)]
    [InlineData("redis://h/", "h", 6379, 0)]
    [InlineData("redis://127.0.0.1:7000", "127.0.0.1", 7000, 0)]
    [InlineData("redis://[::1]:7001/4", "::1", 7001, 4)]
    public void Parse_Url_ReadsHostPortAndDatabase(string url, string host, int port, int database)
    {
        var options = RedisOptions.Parse(Vars(("REDIS_URL", url)));

        Assert.Equal(host, options.Host);
        Assert.Equal(port, options.Port);
        Assert.Equal(database, options.Database);
    }

    [Fact]
    public void Parse_UrlWithPasswordOnly_HasNoUser()
    {
        var options = RedisOptions.Parse(Vars(("REDIS_URL", "redis://:p%40ss@h:1/0")));

        Assert.Null(options.User);
        Assert.Equal("p@ss", options.Password);
    }

    [Fact]
    public void Parse_DatabaseVariable_OverridesUrlPath()
    {
        var options = RedisOptions.Parse(Vars(("REDIS_URL", "redis://h:1/3"), ("REDIS_DB", "5")));

        Assert.Equal(5, options.Database);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData("yes", true)]
    [InlineData("off", false)]
    public void Parse_RetryOnTimeout_AcceptsBooleans(string value, bool expected)
    {
        Assert.Equal(expected, RedisOptions.Parse(Vars(("REDIS_RETRY_ON_TIMEOUT", value))).RetryOnTimeout);
    }

    [Fact]
    public void TryParse_EveryBadValue_ReportsAllErrorsAtOnce()
    {
        var ok = RedisOptions.TryParse(
            Vars(
                ("REDIS_URL", "http://h:1/0"),
                ("REDIS_DB", "x"),
                ("REDIS_MAX_CONNECTIONS", "many"),
                ("REDIS_SOCKET_TIMEOUT", "soon"),
                ("REDIS_RETRY_ON_TIMEOUT", "maybe")),
            out _,
            out var errors);

        Assert.False(ok);
        Assert.Equal(5, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("REDIS_URL: scheme", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("REDIS_DB", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("REDIS_MAX_CONNECTIONS", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("REDIS_SOCKET_TIMEOUT", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("REDIS_RETRY_ON_TIMEOUT", StringComparison.Ordinal));
    }

    [Fact]
    public void TryParse_OutOfRangeValues_ReportsAllErrorsAtOnce()
    {
        var ok = RedisOptions.TryParse(
            Vars(("REDIS_DB", "16"), ("REDIS_MAX_CONNECTIONS", "0"), ("REDIS_SOCKET_TIMEOUT", "-1")),
            out _,
            out var errors);

        Assert.False(ok);
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("REDIS_DB: must be a whole number from 0 to 15 (got '16')", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("REDIS_MAX_CONNECTIONS: must be a whole number from 1 to 10000 (got '0')", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("REDIS_SOCKET_TIMEOUT: must be a number of seconds from 0.001 to 300", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("redis://h:1/notadb")]
    [InlineData("redis://h:1/0?ssl=true")]
    [InlineData("redis://h:99999/0")]
    public void TryParse_BadUrl_ReportsOneUrlError(string url)
    {
        Assert.False(RedisOptions.TryParse(Vars(("REDIS_URL", url)), out _, out var errors));

        var error = Assert.Single(errors);
        Assert.StartsWith("REDIS_URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Invalid_ThrowsListingEveryError()
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisOptions.Parse(Vars(("REDIS_DB", "x"), ("REDIS_MAX_CONNECTIONS", "y"))));

        Assert.Contains("REDIS_DB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("REDIS_MAX_CONNECTIONS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_NeverAppearsInToStringOrErrors()
    {
        var options = RedisOptions.Parse(Vars(("REDIS_URL", $"redis://u:{Secret}@h:1/0")));
        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, options.RedactedUrl, StringComparison.Ordinal);
        Assert.Equal("redis://u:***@h:1/0", options.RedactedUrl);

        Assert.False(RedisOptions.TryParse(Vars(("REDIS_URL", $"http://u:{Secret}@h:1/x?q=1")), out _, out var errors));
        Assert.NotEmpty(errors);
        foreach (var error in errors)
        {
            Assert.DoesNotContain(Secret, error, StringComparison.Ordinal);
        }

        var thrown = Assert.Throws<ArgumentException>(() => RedisOptions.Parse(Vars(("REDIS_URL", $"redis://u:{Secret}@h:1/zz"))));
        Assert.DoesNotContain(Secret, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToConfigurationOptions_MapsEverySetting()
    {
        var options = RedisOptions.Parse(Vars(
            ("REDIS_URL", $"rediss://agent:{Secret}@10.1.2.3:6380/4"),
            ("REDIS_SOCKET_TIMEOUT", "1.5"),
            ("REDIS_RETRY_ON_TIMEOUT", "true")));

        var config = options.ToConfigurationOptions();

        var endpoint = Assert.IsType<IPEndPoint>(Assert.Single(config.EndPoints));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 6380), endpoint);
        Assert.Equal("agent", config.User);
        Assert.Equal(Secret, config.Password);
        Assert.True(config.Ssl);
        Assert.Equal("10.1.2.3", config.SslHost);
        Assert.Equal(4, config.DefaultDatabase);
        Assert.Equal(1500, config.ConnectTimeout);
        Assert.Equal(1500, config.SyncTimeout);
        Assert.Equal(1500, config.AsyncTimeout);
        Assert.False(config.AbortOnConnectFail);
        Assert.Equal(3, config.ConnectRetry);
        Assert.Equal("acgs", config.ClientName);
        Assert.DoesNotContain(Secret, config.ToString(includePassword: false), StringComparison.Ordinal);
    }

    [Fact]
    public void ToConfigurationOptions_HostName_IsDnsEndPoint()
    {
        var config = (RedisOptions.Default with { RetryOnTimeout = false }).ToConfigurationOptions();

        var endpoint = Assert.IsType<DnsEndPoint>(Assert.Single(config.EndPoints));
        Assert.Equal("localhost", endpoint.Host);
        Assert.Equal(6379, endpoint.Port);
        Assert.False(config.Ssl);
        Assert.Equal(1, config.ConnectRetry);
        Assert.Equal(0, config.DefaultDatabase);
    }

    [Fact]
    public void Validate_ConstructedOptions_ReportsEveryProblem()
    {
        var errors = (RedisOptions.Default with { Host = "", Port = 0, Database = -1, MaxConnections = 10_001, SocketTimeout = TimeSpan.Zero, ClientName = "a b" }).Validate();

        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void ToConfigurationOptions_ConnectsToRealServerString()
    {
        // The result must be usable as-is by ConnectionMultiplexer (round trip through its string form).
        var config = RedisOptions.Parse(Vars(("REDIS_URL", "redis://127.0.0.1:6390/2"))).ToConfigurationOptions();

        var reparsed = ConfigurationOptions.Parse(config.ToString(includePassword: true));

        Assert.Equal(2, reparsed.DefaultDatabase);
        Assert.False(reparsed.AbortOnConnectFail);
    }
}
