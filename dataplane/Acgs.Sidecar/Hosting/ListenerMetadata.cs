// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Hosting;

/// <summary>Endpoint metadata: the listener an endpoint serves (see <see cref="ListenerMatcherPolicy"/>).</summary>
internal sealed class ListenerMetadata
{
    private ListenerMetadata(ListenerKind kind) => Kind = kind;

    /// <summary>Endpoints of the inbound listener.</summary>
    public static ListenerMetadata Inbound { get; } = new(ListenerKind.Inbound);

    /// <summary>Endpoints of the outbound listener.</summary>
    public static ListenerMetadata Outbound { get; } = new(ListenerKind.Outbound);

    /// <summary>Endpoints of the admin listener.</summary>
    public static ListenerMetadata Admin { get; } = new(ListenerKind.Admin);

    /// <summary>The listener.</summary>
    public ListenerKind Kind { get; }

    /// <summary>The shared instance for <paramref name="kind"/>.</summary>
    public static ListenerMetadata For(ListenerKind kind) => kind switch
    {
        ListenerKind.Inbound => Inbound,
        ListenerKind.Outbound => Outbound,
        ListenerKind.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
