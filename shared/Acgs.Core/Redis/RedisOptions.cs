// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Acgs.Core.Redis;

/// <summary>
/// Redis connection settings, read from <c>REDIS_URL</c>, <c>REDIS_DB</c>, <c>REDIS_MAX_CONNECTIONS</c>,
/// <c>REDIS_SOCKET_TIMEOUT</c> and <c>REDIS_RETRY_ON_TIMEOUT</c> (see <see cref="Parse(Func{string, string?})"/>).
/// The password is never part of <see cref="ToString"/> or of any validation message.
/// </summary>
public sealed partial record RedisOptions
{
    /// <summary>Smallest accepted database index.</summary>
    public const int MinDatabase = 0;

    /// <summary>Largest accepted database index (Redis ships with 16 databases: 0–15).</summary>
    public const int MaxDatabase = 15;

    /// <summary>Largest accepted <see cref="MaxConnections"/>.</summary>
    public const int MaxConnectionsLimit = 10_000;

    /// <summary>Smallest accepted <see cref="SocketTimeout"/>.</summary>
    public static readonly TimeSpan MinSocketTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>Largest accepted <see cref="SocketTimeout"/>.</summary>
    public static readonly TimeSpan MaxSocketTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Settings of <see cref="AcgsConstants.DefaultRedisUrl"/> with every default below.</summary>
    public static RedisOptions Default { get; } = new();

    /// <summary>Host name or IP address (IPv6 without brackets). Default <c>localhost</c>.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>TCP port. Default 6379.</summary>
    public int Port { get; init; } = 6379;

    /// <summary>ACL user name (Redis 6+), or <see langword="null"/> for the default user.</summary>
    public string? User { get; init; }

    /// <summary>Password, or <see langword="null"/>. Never printed.</summary>
    public string? Password { get; init; }

    /// <summary>Whether to use TLS (<c>rediss://</c>). Default false.</summary>
    public bool UseTls { get; init; }

    /// <summary>Database index (<c>REDIS_DB</c>, else the URL path). Default 0.</summary>
    public int Database { get; init; }

    /// <summary>
    /// Upper bound on Redis connections a component may open (<c>REDIS_MAX_CONNECTIONS</c>). Default 50.
    /// StackExchange.Redis multiplexes every command over one connection, so this does not map onto
    /// <see cref="ConfigurationOptions"/>; components that pool multiplexers or blocking connections honour it.
    /// </summary>
    public int MaxConnections { get; init; } = 50;

    /// <summary>Connect and command timeout (<c>REDIS_SOCKET_TIMEOUT</c>, seconds). Default 5 s.</summary>
    public TimeSpan SocketTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether connecting is retried after a timeout (<c>REDIS_RETRY_ON_TIMEOUT</c>). Default true.</summary>
    public bool RetryOnTimeout { get; init; } = true;

    /// <summary>The name this client announces with <c>CLIENT SETNAME</c>. Default <c>acgs</c>.</summary>
    public string ClientName { get; init; } = "acgs";

    /// <summary>The URL with the password replaced by <c>***</c>: safe to log.</summary>
    public string RedactedUrl
    {
        get
        {
            var builder = new StringBuilder(64);
            builder.Append(UseTls ? "rediss://" : "redis://");
            if (User is not null || Password is not null)
            {
                builder.Append(Uri.EscapeDataString(User ?? string.Empty));
                if (Password is not null)
                {
                    builder.Append(":***");
                }

                builder.Append('@');
            }

            builder.Append(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host);
            builder.Append(CultureInfo.InvariantCulture, $":{Port}/{Database}");
            return builder.ToString();
        }
    }

    /// <summary>Every problem with these settings, named by the environment variable that sets them (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add($"{UrlVariable}: must name a host");
        }

        if (Port is < 1 or > 65_535)
        {
            errors.Add(FormattableString.Invariant($"{UrlVariable}: port must be from 1 to 65535 (got {Port})"));
        }

        if (Database is < MinDatabase or > MaxDatabase)
        {
            errors.Add(FormattableString.Invariant($"{DatabaseVariable}: must be a whole number from {MinDatabase} to {MaxDatabase} (got '{Database}')"));
        }

        if (MaxConnections is < 1 or > MaxConnectionsLimit)
        {
            errors.Add(FormattableString.Invariant($"{MaxConnectionsVariable}: must be a whole number from 1 to {MaxConnectionsLimit} (got '{MaxConnections}')"));
        }

        if (SocketTimeout < MinSocketTimeout || SocketTimeout > MaxSocketTimeout)
        {
            errors.Add(FormattableString.Invariant(
                $"{SocketTimeoutVariable}: must be a number of seconds from {MinSocketTimeout.TotalSeconds} to {MaxSocketTimeout.TotalSeconds} (got '{SocketTimeout.TotalSeconds}')"));
        }

        if (string.IsNullOrEmpty(ClientName) || ClientName.Length > 64 || ClientName.Contains(' ', StringComparison.Ordinal))
        {
            errors.Add("client name must be 1 to 64 characters without spaces");
        }

        return errors;
    }

    /// <summary>
    /// The StackExchange.Redis settings: one endpoint, user/password, TLS, default database, every timeout
    /// from <see cref="SocketTimeout"/>, <c>AbortOnConnectFail = false</c> (keep retrying in the background),
    /// <c>ConnectRetry</c> 3 when <see cref="RetryOnTimeout"/> else 1, and <see cref="ClientName"/>.
    /// </summary>
    public ConfigurationOptions ToConfigurationOptions()
    {
        var timeoutMs = (int)Math.Clamp(Math.Ceiling(SocketTimeout.TotalMilliseconds), 1, int.MaxValue);
        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = timeoutMs,
            SyncTimeout = timeoutMs,
            AsyncTimeout = timeoutMs,
            ConnectRetry = RetryOnTimeout ? 3 : 1,
            DefaultDatabase = Database,
            Ssl = UseTls,
            ClientName = ClientName,
            User = User,
            Password = Password,
        };
        if (UseTls)
        {
            options.SslHost = Host;
        }

        options.EndPoints.Add(Host, Port);
        return options;
    }

    /// <summary>The settings without the password.</summary>
    public override string ToString() => FormattableString.Invariant(
        $"RedisOptions {{ Url = {RedactedUrl}, MaxConnections = {MaxConnections}, SocketTimeout = {SocketTimeout.TotalSeconds}s, RetryOnTimeout = {RetryOnTimeout}, ClientName = {ClientName} }}");
}
