// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.LoadTest.Thresholds;

/// <summary>The verdict of one threshold.</summary>
public sealed record ThresholdResult(string Description, bool Passed, string Actual);
