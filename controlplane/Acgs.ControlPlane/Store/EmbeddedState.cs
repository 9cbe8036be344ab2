// Constitutional Hash: cdd01ef066bc6cf2

using System.Text.Json.Serialization;
using Acgs.ControlPlane.Audit;
using Acgs.ControlPlane.Chaos;
using Acgs.Core;

namespace Acgs.ControlPlane.Store;

/// <summary>The embedded store's whole state: the document written to <c>state.json</c>.</summary>
internal sealed record EmbeddedState
{
    /// <summary>The hash mark every ACGS JSON file carries.</summary>
    [JsonPropertyName("constitutional_hash")]
    public string ConstitutionalHash { get; init; } = AcgsConstants.ConstitutionalHash;

    /// <summary>Format version of this file.</summary>
    public int Format { get; init; } = 1;

    /// <summary>Commits seen.</summary>
    public long Revision { get; init; }

    /// <summary>Every policy.</summary>
    public List<PolicyRecord> Policies { get; init; } = [];

    /// <summary>The audit log, oldest first.</summary>
    public List<AuditEntry> Audit { get; init; } = [];

    /// <summary>The engaged chaos emergency stop, or null (absent in files written before it existed).</summary>
    public EmergencyStop? EmergencyStop { get; init; }
}
