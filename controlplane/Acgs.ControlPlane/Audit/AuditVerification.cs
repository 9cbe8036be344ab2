// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.ControlPlane.Audit;

/// <summary>Result of <see cref="AuditChain.Verify"/>.</summary>
/// <param name="Valid">True when every entry's hash matches its content and links to the one before.</param>
/// <param name="Entries">How many entries were checked.</param>
/// <param name="FirstInvalidSequence">The first entry that fails, or null.</param>
/// <param name="Reason">Why it fails, or null.</param>
internal sealed record AuditVerification(bool Valid, int Entries, long? FirstInvalidSequence, string? Reason);
