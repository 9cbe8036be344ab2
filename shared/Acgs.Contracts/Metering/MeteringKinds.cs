// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.Metering;

/// <summary>The values of <see cref="MeteringRow.Kind"/>.</summary>
public static class MeteringKinds
{
    /// <summary>An inbound HTTP request.</summary>
    public const string Http = "http";

    /// <summary>A bus message.</summary>
    public const string Bus = "bus";

    /// <summary>The name every dimension falls back to past its bound.</summary>
    public const string Other = "other";

    /// <summary>The tenant of a request without one.</summary>
    public const string NoTenant = "-";
}
