// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Reporting;

/// <summary>One figure (CPU per request, own p99, ...) over a series of runs: minimum, median, maximum.</summary>
internal sealed class SeriesFigure(string name)
{
    public string Name { get; } = name;

    public List<double> Values { get; } = [];

    public double Min => Sorted()[0];

    public double Max => Sorted()[^1];

    /// <summary>The middle value; the mean of the two middle ones for an even count.</summary>
    public double Median
    {
        get
        {
            var sorted = Sorted();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    private double[] Sorted()
    {
        var copy = Values.ToArray();
        Array.Sort(copy);
        return copy;
    }
}
