// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

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

    /// <summary><c>true</c>, <c>false</c>, <c>1</c> or <c>0</c>.</summary>
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
        ArgumentNullException.ThrowIfNull(getVariable);
        var problems = new List<string>();
        var result = ParseUrl(Read(getVariable, UrlVariable) ?? AcgsConstants.DefaultRedisUrl, problems) ?? Default;
        var urlValid = problems.Count == 0;

        if (Read(getVariable, DatabaseVariable) is { } db)
        {
            if (int.TryParse(db, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                result = result with { Database = value };
            }
            else
            {
                problems.Add($"{DatabaseVariable} must be an integer, got '{Shorten(db)}'");
            }
        }

        if (Read(getVariable, MaxConnectionsVariable) is { } max)
        {
            if (int.TryParse(max, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                result = result with { MaxConnections = value };
            }
            else
            {
                problems.Add($"{MaxConnectionsVariable} must be an integer, got '{Shorten(max)}'");
            }
        }

        if (Read(getVariable, SocketTimeoutVariable) is { } timeout)
        {
            if (double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
            {
                // Out-of-range values are reported by Validate(); clamp only to keep TimeSpan constructible.
                result = result with { SocketTimeout = TimeSpan.FromSeconds(Math.Clamp(seconds, -1, 1e9)) };
            }
            else
            {
                problems.Add($"{SocketTimeoutVariable} must be a number of seconds, got '{Shorten(timeout)}'");
            }
        }

        if (Read(getVariable, RetryOnTimeoutVariable) is { } retry)
        {
            if (TryParseBoolean(retry, out var value))
            {
                result = result with { RetryOnTimeout = value };
            }
            else
            {
                problems.Add($"{RetryOnTimeoutVariable} must be true, false, 1 or 0, got '{Shorten(retry)}'");
            }
        }

        foreach (var problem in result.Validate())
        {
            // Host/port problems of a URL that did not parse are already reported once.
            if (urlValid || !problem.StartsWith(UrlVariable, StringComparison.Ordinal))
            {
                problems.Add(problem);
            }
        }

        options = problems.Count == 0 ? result : Default;
        errors = problems;
        return problems.Count == 0;
    }

    private static RedisOptions? ParseUrl(string url, List<string> problems)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            problems.Add($"{UrlVariable} is not a valid URL (expected {UrlShape})");
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
            problems.Add($"{UrlVariable} scheme must be redis or rediss, got '{Shorten(uri.Scheme)}'");
        }

        if (string.IsNullOrEmpty(uri.IdnHost))
        {
            problems.Add($"{UrlVariable} must name a host (expected {UrlShape})");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            problems.Add($"{UrlVariable} must not carry a query or fragment; use the REDIS_* variables");
        }

        var database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && !int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database))
        {
            problems.Add($"{UrlVariable} path must be a database number (expected {UrlShape})");
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

    private static string? Read(Func<string, string?> getVariable, string name)
    {
        var value = getVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static bool TryParseBoolean(string value, out bool result)
    {
        if (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            result = true;
            return true;
        }

        if (value == "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            result = false;
            return true;
        }

        result = false;
        return false;
    }

    private static string Shorten(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
