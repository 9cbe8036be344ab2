// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Reporting;

/// <summary>One gate line's verdicts over a series of runs.</summary>
internal sealed class SeriesLineTally(string name)
{
    public string Name { get; } = name;

    public int Pass { get; private set; }

    public int Inconclusive { get; private set; }

    public int Fail { get; private set; }

    public void Add(string status)
    {
        switch (status)
        {
            case "pass":
                Pass++;
                break;
            case "inconclusive":
                Inconclusive++;
                break;
            default:
                Fail++;
                break;
        }
    }
}
