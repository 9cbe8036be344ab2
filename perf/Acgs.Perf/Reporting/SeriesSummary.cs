// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Reporting;

/// <summary>What <see cref="GateSeries"/> found over its runs: each line's verdict counts, each figure's values and
/// how many lines failed in all.</summary>
internal sealed record SeriesSummary(IReadOnlyList<SeriesLineTally> Lines, IReadOnlyList<SeriesFigure> Figures, int Failed);
