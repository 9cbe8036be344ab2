// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Core.Settings;

namespace Acgs.Sidecar.Transparent;

/// <summary>
/// Transparent-proxy settings (docs/transparent-proxy.md), read once at start from the environment
/// with the other settings; an invalid value stops the start like every other.
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

    /// <summary>
    /// Reads the three flags through <paramref name="settings"/> (the shared boolean grammar: <c>1</c>/<c>0</c>,
    /// <c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>); any other value is a start-up problem.
    /// </summary>
    public static TransparentOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var defaults = new TransparentOptions();
        return new TransparentOptions
        {
            ReadOriginalDestination = settings.Bool(OriginalDstVariable, defaults.ReadOriginalDestination),
            OutboundPassthrough = settings.Bool(PassthroughVariable, defaults.OutboundPassthrough),
            OutboundTcpPassthrough = settings.Bool(TcpPassthroughVariable, defaults.OutboundTcpPassthrough),
        };
    }
}
