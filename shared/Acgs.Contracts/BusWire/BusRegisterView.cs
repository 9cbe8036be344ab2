// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Contracts.BusWire;

/// <summary>A parsed register body (spans over the caller's buffer).</summary>
/// <param name="AgentId">The agent id (UTF-8, 1..128 bytes).</param>
/// <param name="TenantId">The tenant (UTF-8, may be empty).</param>
/// <param name="ConstitutionalHash">The hash as sent.</param>
public readonly ref struct BusRegisterView(ReadOnlySpan<byte> AgentId, ReadOnlySpan<byte> TenantId, ReadOnlySpan<byte> ConstitutionalHash)
{
    /// <summary>The agent id (UTF-8, 1..128 bytes).</summary>
    public ReadOnlySpan<byte> AgentId { get; } = AgentId;

    /// <summary>The tenant (UTF-8, may be empty).</summary>
    public ReadOnlySpan<byte> TenantId { get; } = TenantId;

    /// <summary>The hash as sent.</summary>
    public ReadOnlySpan<byte> ConstitutionalHash { get; } = ConstitutionalHash;
}
