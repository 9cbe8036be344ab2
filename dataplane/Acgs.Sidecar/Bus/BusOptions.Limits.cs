// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Core.Settings;

namespace Acgs.Sidecar.Bus;

/// <summary>The bus's limits: connections, timeouts, byte budgets, HTTP senders (docs/limits.md, "Bus").</summary>
public sealed partial record BusOptions
{
    /// <summary>Variable of <see cref="HttpAddress"/>.</summary>
    public const string HttpAddressVariable = "ACGS_BUS_HTTP_ADDRESS";

    /// <summary>Variable of <see cref="MaxConnections"/>.</summary>
    public const string MaxConnectionsVariable = "ACGS_BUS_MAX_CONNECTIONS";

    /// <summary>Variable of <see cref="RegisterTimeout"/>.</summary>
    public const string RegisterTimeoutVariable = "ACGS_BUS_REGISTER_TIMEOUT_SECONDS";

    /// <summary>Variable of <see cref="FrameTimeout"/>.</summary>
    public const string FrameTimeoutVariable = "ACGS_BUS_FRAME_TIMEOUT_SECONDS";

    /// <summary>Variable of <see cref="IdleTimeout"/>.</summary>
    public const string IdleTimeoutVariable = "ACGS_BUS_IDLE_TIMEOUT_SECONDS";

    /// <summary>Variable of <see cref="ConnectionQueueBytes"/> (MiB).</summary>
    public const string ConnectionQueueMibVariable = "ACGS_BUS_CONNECTION_QUEUE_MIB";

    /// <summary>Variable of <see cref="TotalQueueBytes"/> (MiB).</summary>
    public const string TotalQueueMibVariable = "ACGS_BUS_TOTAL_QUEUE_MIB";

    /// <summary>Variable of <see cref="MaxHttpSenders"/>.</summary>
    public const string MaxHttpSendersVariable = "ACGS_BUS_MAX_HTTP_SENDERS";

    private const long Mib = 1024 * 1024;

    /// <summary>Bind address of the bus HTTP API. Default <c>127.0.0.1</c>: only local tools and agents use it.</summary>
    public string HttpAddress { get; init; } = "127.0.0.1";

    /// <summary>Most open connections on the framed listener (agents and incoming peer links); past it a connection gets <c>connection_limit</c> and is closed.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>How long a new connection may take to register (and, with mTLS, to finish its handshake) before it is closed with <c>timeout</c>.</summary>
    public TimeSpan RegisterTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a frame whose first bytes arrived may take to arrive completely before the connection is closed with <c>timeout</c>.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A registered connection that sends nothing for half of this gets a <c>ping</c>; nothing for all of it: closed with <c>timeout</c>.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Bytes of messages one connection may hold (queued and written but not acknowledged); past it <c>busy</c>. Default 64 MiB.</summary>
    public long ConnectionQueueBytes { get; init; } = 64 * Mib;

    /// <summary>Bytes of messages all connections together may hold; past it <c>busy</c>. Default 512 MiB.</summary>
    public long TotalQueueBytes { get; init; } = 512 * Mib;

    /// <summary>Most sender registrations of the HTTP API (<c>POST /v1/senders</c>) at once. Default 1024.</summary>
    public int MaxHttpSenders { get; init; } = 1024;

    private void ValidateLimits(List<string> errors)
    {
        if (!System.Net.IPAddress.TryParse(HttpAddress, out _))
        {
            errors.Add($"{HttpAddressVariable}: must be an IP address (got '{SettingsReader.Shown(HttpAddress ?? string.Empty)}')");
        }

        if (MaxConnections is < 1 or > 1_000_000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{MaxConnectionsVariable}: must be a whole number from 1 to 1000000 (got '{MaxConnections}')"));
        }

        if (RegisterTimeout <= TimeSpan.Zero || FrameTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero)
        {
            errors.Add("the bus register, frame and idle timeouts must be positive");
        }

        if (ConnectionQueueBytes < 2 * Mib || TotalQueueBytes < ConnectionQueueBytes)
        {
            errors.Add($"{TotalQueueMibVariable}: must be at least {ConnectionQueueMibVariable} (at least 2 MiB: one message of the largest size fits)");
        }

        if (MaxHttpSenders is < 0 or > 1_000_000)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{MaxHttpSendersVariable}: must be a whole number from 0 to 1000000 (got '{MaxHttpSenders}')"));
        }
    }

    private static BusOptions ReadLimits(SettingsReader settings, BusOptions options) => options with
    {
        HttpAddress = settings.Parse(HttpAddressVariable, Default.HttpAddress, TryParseIp, "an IP address"),
        MaxConnections = settings.WholeNumber(MaxConnectionsVariable, Default.MaxConnections, 1, 1_000_000),
        RegisterTimeout = settings.Seconds(RegisterTimeoutVariable, Default.RegisterTimeout, 0.1, 3600),
        FrameTimeout = settings.Seconds(FrameTimeoutVariable, Default.FrameTimeout, 0.1, 3600),
        IdleTimeout = settings.Seconds(IdleTimeoutVariable, Default.IdleTimeout, 1, 86_400),
        ConnectionQueueBytes = settings.WholeNumber(ConnectionQueueMibVariable, (int)(Default.ConnectionQueueBytes / Mib), 2, 1_048_576) * Mib,
        TotalQueueBytes = settings.WholeNumber(TotalQueueMibVariable, (int)(Default.TotalQueueBytes / Mib), 2, 1_048_576) * Mib,
        MaxHttpSenders = settings.WholeNumber(MaxHttpSendersVariable, Default.MaxHttpSenders, 0, 1_000_000),
    };
}
