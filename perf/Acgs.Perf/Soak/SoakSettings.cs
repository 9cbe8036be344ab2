// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Perf.Soak;

/// <summary>
/// Settings of <c>./acgs perf soak</c>: how long, how fast, how many idle connections and how often the control plane
/// is killed and restarted. Defaults are the hardening soak's (30 minutes, 1,000 req/s, 5,000 idle connections, a
/// restart every 5 minutes, 10 s down).
/// </summary>
internal sealed record SoakSettings
{
    /// <summary>The usage line printed with a settings error.</summary>
    public const string Usage = "usage: acgs perf soak [--minutes N (30)] [--rate R (1000)] [--idle N (5000)] [--restart-every MINUTES (5)] [--down-seconds S (10)] [--root DIR] [--out DIR]";

    /// <summary>Repository root (build outputs, results).</summary>
    public string Root { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Results directory; null: perf/results/&lt;timestamp&gt;-soak.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Length of the load.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Open-model rate through svc-a's sidecar to svc-b's sidecar (requests/s).</summary>
    public double Rate { get; init; } = 1000;

    /// <summary>Idle keep-alive connections held open, half on each sidecar's inbound listener.</summary>
    public int IdleConnections { get; init; } = 5000;

    /// <summary>Period of the control-plane kill (-9) and restart (zero: never).</summary>
    public TimeSpan RestartEvery { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the control plane stays down after a kill.</summary>
    public TimeSpan Down { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Parses <paramref name="args"/> (after <c>soak</c>); every problem is one line in the error list.</summary>
    public static (SoakSettings? Settings, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args)
    {
        var settings = new SoakSettings();
        var errors = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                errors.Add($"{name}: a value is missing");
                break;
            }

            var value = args[++i];
            settings = name switch
            {
                "--minutes" => Number(value, 0.5, 1440, name, errors) is { } m ? settings with { Duration = TimeSpan.FromMinutes(m) } : settings,
                "--rate" => Number(value, 1, 100_000, name, errors) is { } r ? settings with { Rate = r } : settings,
                "--idle" => Number(value, 0, 100_000, name, errors) is { } n ? settings with { IdleConnections = (int)n } : settings,
                "--restart-every" => Number(value, 0, 1440, name, errors) is { } e ? settings with { RestartEvery = TimeSpan.FromMinutes(e) } : settings,
                "--down-seconds" => Number(value, 0, 600, name, errors) is { } d ? settings with { Down = TimeSpan.FromSeconds(d) } : settings,
                "--root" => settings with { Root = value },
                "--out" => settings with { OutputDirectory = value },
                _ => Unknown(settings, name, errors),
            };
        }

        return errors.Count == 0 ? (settings, errors) : (null, errors);
    }

    private static double? Number(string text, double min, double max, string name, List<string> errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: must be a number from {min} to {max} (got '{text}')"));
        return null;
    }

    private static SoakSettings Unknown(SoakSettings settings, string name, List<string> errors)
    {
        errors.Add($"{name}: unknown option");
        return settings;
    }
}
