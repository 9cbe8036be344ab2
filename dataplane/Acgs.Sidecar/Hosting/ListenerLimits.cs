// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;

namespace Acgs.Sidecar.Hosting;

/// <summary>
/// The bounds of the three HTTP listeners (docs/limits.md), read once at start. Connection limits default to a share
/// of the descriptors left after <see cref="DescriptorReserve"/> (the sidecar's own work: upstream pools, probes,
/// the control plane, the bus, files) and those already open at start: a proxied connection can hold a second descriptor upstream, so inbound and
/// outbound each get a fifth of the rest (at most <see cref="DefaultConnectionCap"/>) and admin a twentieth (at
/// most 64). Past a limit a new connection is closed at once and counted; the others keep being served.
/// </summary>
internal sealed record ListenerLimits
{
    /// <summary>Upper bound of the inbound and outbound defaults, however many descriptors there are.</summary>
    public const int DefaultConnectionCap = 10_000;

    /// <summary>Kestrel's own default request body limit, kept (now documented and answered with 413 problem+json).</summary>
    public const long DefaultMaxRequestBodyBytes = 30_000_000;

    /// <summary>Open connections on the inbound listener (<c>ACGS_MAX_CONNECTIONS_INBOUND</c>).</summary>
    public int MaxInboundConnections { get; init; } = 1000;

    /// <summary>Open connections on the outbound listener (<c>ACGS_MAX_CONNECTIONS_OUTBOUND</c>).</summary>
    public int MaxOutboundConnections { get; init; } = 1000;

    /// <summary>Open connections on the admin listener (<c>ACGS_MAX_CONNECTIONS_ADMIN</c>).</summary>
    public int MaxAdminConnections { get; init; } = 64;

    /// <summary>Descriptors kept out of the connection defaults (<c>ACGS_FD_RESERVE</c>).</summary>
    public int DescriptorReserve { get; init; } = 128;

    /// <summary>The soft <c>RLIMIT_NOFILE</c> the defaults were sized from (null: unknown, fixed defaults).</summary>
    public long? DescriptorLimit { get; init; }

    /// <summary>A connection with no request in flight is closed after this (<c>ACGS_IDLE_TIMEOUT_SECONDS</c>, Kestrel's KeepAliveTimeout).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A pooled upstream connection unused for this long is closed by the sidecar (<c>ACGS_UPSTREAM_IDLE_TIMEOUT_SECONDS</c>).
    /// It must stay below the upstream's own keep-alive timeout — half a peer sidecar's <see cref="IdleTimeout"/> by
    /// default — so the upstream never closes a connection at the moment the sidecar reuses it (a 502).</summary>
    public TimeSpan UpstreamIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection's first bytes and each request's headers must arrive within this (<c>ACGS_REQUEST_HEADERS_TIMEOUT_SECONDS</c>).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest request body forwarded (<c>ACGS_MAX_REQUEST_BODY_BYTES</c>); larger gets 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>The limit of <paramref name="kind"/>.</summary>
    public int MaxConnections(ListenerKind kind) => kind switch
    {
        ListenerKind.Inbound => MaxInboundConnections,
        ListenerKind.Outbound => MaxOutboundConnections,
        _ => MaxAdminConnections,
    };

    /// <summary>One line for the start-up log.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"connections inbound {MaxInboundConnections}, outbound {MaxOutboundConnections}, admin {MaxAdminConnections}; descriptors {(DescriptorLimit is { } fds ? fds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown")} (reserve {DescriptorReserve}); idle timeout {IdleTimeout.TotalSeconds} s (upstream {UpstreamIdleTimeout.TotalSeconds} s), request-headers timeout {RequestHeadersTimeout.TotalSeconds} s, request body {MaxRequestBodyBytes} bytes");

    /// <summary>Reads the settings through <paramref name="settings"/> (problems collected there), sizing the defaults from <paramref name="softLimit"/>.</summary>
    public static ListenerLimits Read(SettingsReader settings, long? softLimit, int openAtStart = 0)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = Defaults(softLimit, settings.OptionalWholeNumber("ACGS_FD_RESERVE", 0, 1_000_000), openAtStart);
        return d with
        {
            MaxInboundConnections = settings.WholeNumber("ACGS_MAX_CONNECTIONS_INBOUND", d.MaxInboundConnections, 1, 1_000_000),
            MaxOutboundConnections = settings.WholeNumber("ACGS_MAX_CONNECTIONS_OUTBOUND", d.MaxOutboundConnections, 1, 1_000_000),
            MaxAdminConnections = settings.WholeNumber("ACGS_MAX_CONNECTIONS_ADMIN", d.MaxAdminConnections, 1, 1_000_000),
            IdleTimeout = settings.Seconds("ACGS_IDLE_TIMEOUT_SECONDS", d.IdleTimeout, 1, 3600),
            RequestHeadersTimeout = settings.Seconds("ACGS_REQUEST_HEADERS_TIMEOUT_SECONDS", d.RequestHeadersTimeout, 1, 300),
            UpstreamIdleTimeout = settings.Seconds("ACGS_UPSTREAM_IDLE_TIMEOUT_SECONDS", d.UpstreamIdleTimeout, 1, 3600),
            MaxRequestBodyBytes = ReadBodyLimit(settings, d.MaxRequestBodyBytes),
        };
    }

    /// <summary>The defaults for a soft descriptor limit, an explicit reserve and the descriptors open at start.</summary>
    public static ListenerLimits Defaults(long? softLimit, int? reserve = null, int openAtStart = 0)
    {
        if (softLimit is not { } soft)
        {
            return new ListenerLimits { DescriptorReserve = reserve ?? 128 };
        }

        var keep = reserve ?? (int)Math.Clamp(soft / 8, 64, 1024);
        var budget = Math.Max(0, soft - openAtStart - keep);
        var proxied = (int)Math.Clamp(budget / 5, 16, DefaultConnectionCap);
        return new ListenerLimits
        {
            DescriptorReserve = keep,
            DescriptorLimit = soft,
            MaxInboundConnections = proxied,
            MaxOutboundConnections = proxied,
            MaxAdminConnections = (int)Math.Clamp(budget / 20, 8, 64),
        };
    }

    private static long ReadBodyLimit(SettingsReader settings, long fallback)
    {
        const string name = "ACGS_MAX_REQUEST_BODY_BYTES";
        if (settings.Raw(name) is not { } text)
        {
            return fallback;
        }

        if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= 1L << 40)
        {
            return value;
        }

        settings.Report(name, "must be a whole number of bytes from 1 to 1099511627776", text);
        return fallback;
    }
}
