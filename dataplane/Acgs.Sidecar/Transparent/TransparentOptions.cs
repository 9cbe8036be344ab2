// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Transparent-proxy settings (docs/transparent-proxy.md), read once at start from the environment.
/// Values other than <c>0</c>/<c>1</c>/<c>false</c>/<c>true</c> are ignored (the default applies), like
/// the other listener tuning variables.
/// </summary>
internal sealed record TransparentOptions
{
    /// <summary>Environment variable of <see cref="ReadOriginalDestination"/>.</summary>
    public const string OriginalDstVariable = "ACGS_ORIGINAL_DST";

    /// <summary>Environment variable of <see cref="OutboundPassthrough"/>.</summary>
    public const string PassthroughVariable = "ACGS_OUTBOUND_PASSTHROUGH";

    /// <summary>Environment variable of <see cref="OutboundTcpPassthrough"/>.</summary>
    public const string TcpPassthroughVariable = "ACGS_OUTBOUND_TCP_PASSTHROUGH";

    /// <summary>
    /// Read <c>SO_ORIGINAL_DST</c> on every connection accepted by the inbound and outbound listeners
    /// (<c>ACGS_ORIGINAL_DST</c>, default on). Off: no connection is ever seen as redirected.
    /// </summary>
    public bool ReadOriginalDestination { get; init; } = true;

    /// <summary>
    /// Forward a redirected outbound request whose authority has no route to its original destination
    /// (<c>ACGS_OUTBOUND_PASSTHROUGH</c>, default on, like Istio's <c>ALLOW_ANY</c>). Off: such requests
    /// get 404 <c>urn:acgs:no-route</c> naming the original destination (Istio's <c>REGISTRY_ONLY</c>).
    /// </summary>
    public bool OutboundPassthrough { get; init; } = true;

    /// <summary>
    /// Tunnel a redirected outbound connection whose first bytes are not HTTP (TLS, Redis, …) to its
    /// original destination as opaque TCP (<c>ACGS_OUTBOUND_TCP_PASSTHROUGH</c>, default off: such a
    /// connection carries no constitutional hash the sidecar could check). Only with
    /// <see cref="OutboundPassthrough"/> on. Off: the connection is closed and counted.
    /// </summary>
    public bool OutboundTcpPassthrough { get; init; }

    /// <summary>The options from <paramref name="environment"/> (e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>).</summary>
    public static TransparentOptions From(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var defaults = new TransparentOptions();
        return new TransparentOptions
        {
            ReadOriginalDestination = Flag(environment(OriginalDstVariable), defaults.ReadOriginalDestination),
            OutboundPassthrough = Flag(environment(PassthroughVariable), defaults.OutboundPassthrough),
            OutboundTcpPassthrough = Flag(environment(TcpPassthroughVariable), defaults.OutboundTcpPassthrough),
        };
    }

    private static bool Flag(string? value, bool fallback) => value?.Trim().ToUpperInvariant() switch
    {
        "1" or "TRUE" => true,
        "0" or "FALSE" => false,
        _ => fallback,
    };
}
