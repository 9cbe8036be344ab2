// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Core.Settings;

namespace Acgs.Core.Redis;

/// <summary>Reading <see cref="RedisOptions"/> from environment variables.</summary>
public sealed partial record RedisOptions
{
    /// <summary><c>redis://[user:password@]host:port[/db]</c>, or <c>rediss://</c> for TLS.</summary>
    public const string UrlVariable = "REDIS_URL";

    /// <summary>Database index; overrides the URL's path.</summary>
    public const string DatabaseVariable = "REDIS_DB";

    /// <summary>See <see cref="MaxConnections"/>.</summary>
    public const string MaxConnectionsVariable = "REDIS_MAX_CONNECTIONS";

    /// <summary>Seconds, may be fractional (<c>0.5</c>).</summary>
    public const string SocketTimeoutVariable = "REDIS_SOCKET_TIMEOUT";

    /// <summary>A boolean (<see cref="SettingsReader.TryParseBool"/>: <c>1</c>/<c>0</c>, <c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>).</summary>
    public const string RetryOnTimeoutVariable = "REDIS_RETRY_ON_TIMEOUT";

    private const int DefaultPort = 6379;
    private const string UrlShape = "redis://[user:password@]host:port[/db] or rediss://...";

    /// <summary>Reads the process environment; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static RedisOptions FromEnvironment() => Parse(Environment.GetEnvironmentVariable);

    /// <summary>Reads the given variables; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static RedisOptions Parse(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Parse(name => variables.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>Reads variables through <paramref name="getVariable"/>; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static RedisOptions Parse(Func<string, string?> getVariable)
    {
        if (!TryParse(getVariable, out var options, out var errors))
        {
            throw new ArgumentException("Invalid Redis settings: " + string.Join("; ", errors), nameof(getVariable));
        }

        return options;
    }

    /// <summary>Reads the given variables, reporting every problem instead of throwing.</summary>
    public static bool TryParse(IReadOnlyDictionary<string, string?> variables, out RedisOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return TryParse(name => variables.TryGetValue(name, out var value) ? value : null, out options, out errors);
    }

    /// <summary>
    /// Reads variables through <paramref name="getVariable"/> (unset or blank means "use the default"),
    /// reporting every problem at once. Messages never contain the password or the URL.
    /// </summary>
    public static bool TryParse(Func<string, string?> getVariable, out RedisOptions options, out IReadOnlyList<string> errors)
    {
        var settings = new SettingsReader(getVariable);
        var result = Read(settings);
        options = settings.IsValid ? result : Default;
        errors = settings.Problems;
        return settings.IsValid;
    }

    /// <summary>
    /// Reads the <c>REDIS_*</c> settings through <paramref name="settings"/>, which collects every problem (with the
    /// other settings of the process); the URL, which may carry a password, is never shown.
    /// </summary>
    public static RedisOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var before = settings.Problems.Count;
        var result = ParseUrl(settings.Raw(UrlVariable) ?? AcgsConstants.DefaultRedisUrl, settings) ?? Default;
        var urlValid = settings.Problems.Count == before;
        result = result with
        {
            Database = settings.WholeNumber(DatabaseVariable, result.Database, MinDatabase, MaxDatabase),
            MaxConnections = settings.WholeNumber(MaxConnectionsVariable, result.MaxConnections, 1, MaxConnectionsLimit),
            SocketTimeout = settings.Seconds(SocketTimeoutVariable, result.SocketTimeout, MinSocketTimeout.TotalSeconds, MaxSocketTimeout.TotalSeconds),
            RetryOnTimeout = settings.Bool(RetryOnTimeoutVariable, result.RetryOnTimeout),
        };

        foreach (var problem in result.Validate())
        {
            // Host/port problems of a URL that did not parse are already reported once.
            if (urlValid || !problem.StartsWith(UrlVariable, StringComparison.Ordinal))
            {
                settings.ReportGeneral(problem);
            }
        }

        return result;
    }

    private static RedisOptions? ParseUrl(string url, SettingsReader settings)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            settings.Report(UrlVariable, $"is not a valid URL (expected {UrlShape}; value not shown: it may hold a password)");
            return null;
        }

        var tls = uri.Scheme switch
        {
            "redis" => false,
            "rediss" => true,
            _ => (bool?)null,
        };
        if (tls is null)
        {
            settings.Report(UrlVariable, "scheme must be redis or rediss", uri.Scheme);
        }

        if (string.IsNullOrEmpty(uri.IdnHost))
        {
            settings.Report(UrlVariable, $"must name a host (expected {UrlShape})");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            settings.Report(UrlVariable, "must not carry a query or fragment; use the REDIS_* variables");
        }

        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && !int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database))
        {
            settings.Report(UrlVariable, $"path must be a database number (expected {UrlShape})");
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var rawUser = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
            user = rawUser.Length == 0 ? null : Uri.UnescapeDataString(rawUser);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        return new RedisOptions
        {
            Host = uri.IdnHost.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            UseTls = tls ?? false,
            Database = database,
            User = user,
            Password = password,
        };
    }
}
