// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.LoadTest.Http;

namespace Acgs.Perf.Settings;

/// <summary>Settings of a perf run. Defaults are the full gate's (docs/performance.md); the
/// command line overrides them for short smoke runs.</summary>
internal sealed record PerfSettings
{
    public PerfMode Mode { get; init; } = PerfMode.Gate;

    /// <summary>Repository root (build outputs, config templates, results).</summary>
    public string Root { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>Open-model rate (requests/s). Default 6,000.</summary>
    public double Rate { get; init; } = 6000;

    /// <summary>The open-model rates of <c>efficiency</c> (<c>--rates 1000,6000</c>), run in the order given, each
    /// its own section, then one table with every proxy's figures at every rate. Empty: <see cref="Rate"/> alone.</summary>
    public IReadOnlyList<double> Rates { get; init; } = [];

    /// <summary>Gate warm-up per target. Default 10 s.</summary>
    public TimeSpan GateWarmUp { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gate measured time per target and round. Default 20 s.</summary>
    public TimeSpan GateDuration { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Warm-up per target for compare/capacity/efficiency. Default 5 s.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Measured time per target and round for compare/capacity/efficiency. Default 10 s.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Interleaving slice: each round's measured time per target is cut into slices of about
    /// this length, run target after target (see Modes/Interleaved). Default 2 s; a slice at least as
    /// long as the measured time runs each target's round in one piece.</summary>
    public TimeSpan Slice { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Which idle keep-alive connection the generator reuses (<c>--reuse recent|oldest</c>). Default
    /// the most recent, as the HTTP clients a proxy serves in production do; <c>oldest</c> rotates through
    /// every pooled connection (the generator's order before 2026-11-27).</summary>
    public ConnectionReuse Reuse { get; init; } = ConnectionReuse.MostRecent;

    /// <summary>Injected stalls (<c>--stall STOP_MS/PERIOD_MS</c>): every proxy under test is stopped
    /// (SIGSTOP) for <see cref="StallStop"/> every <see cref="StallPeriod"/>, to measure how each drains the
    /// backlog a host stall leaves. Zero (default): none.</summary>
    public TimeSpan StallStop { get; init; }

    /// <summary>Period of the injected stalls; see <see cref="StallStop"/>.</summary>
    public TimeSpan StallPeriod { get; init; }

    /// <summary>Interleaved rounds. Default 3.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Closed-model connections for capacity. Default 32.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>P99 generator dispatch lag beyond which a run is invalid. Default 5 ms.</summary>
    public TimeSpan MaxSchedulerLagP99 { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Start .NET targets with the tuned runtime environment (see PerfLab). Default true.</summary>
    public bool Tuned { get; init; } = true;

    /// <summary>Pin the proxies under test (nginx, HAProxy, plain YARP, sidecar) to the last CPU and
    /// the generator and backend to CPU 0, so a proxy competes only with its peers' runs, never with
    /// the load it is measured under. Default on with two or more CPUs; <c>--no-pin</c> turns it off.</summary>
    public bool Pin { get; init; } = Environment.ProcessorCount >= 2;

    /// <summary>Measure the sidecar's JIT build even when its Native AOT publish exists (<c>--jit</c>).</summary>
    public bool Jit { get; init; }

    /// <summary>The quick gate of <c>.ci/run</c> (<c>--ci</c>): 5 s warm-up, 3 rounds of 8 s per target in 2 s
    /// slices — the same lines as the full gate, judged the same way.</summary>
    public bool Ci { get; init; }

    /// <summary>Treat an inconclusive absolute end-to-end line as an invalid gate (exit 2). Default false.</summary>
    public bool Strict { get; init; }

    /// <summary>Results directory; default perf/results/&lt;UTC timestamp&gt;.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>The sidecar environment variants of <c>ab</c> (<c>--variants PRESET</c>, or <c>--variant</c> given
    /// twice or more); default the preset <c>all</c>. Empty for the other modes.</summary>
    public IReadOnlyList<Ab.AbVariant> Variants { get; init; } = [];

    /// <summary>The workload certificate lifetime of the pair lab's control plane (<c>--cert-ttl</c>, its
    /// <c>ACGS_CERT_TTL</c>, e.g. <c>20s</c>: renewed about every 10 s, rotation under load), or null for its default.</summary>
    public string? CertTtl { get; init; }

    public static string Usage =>
        "usage: Acgs.Perf [gate|compare|capacity|efficiency|all|ab] [--root DIR] [--rate N] [--rates N,N...] [--rounds N] [--slice S]\n" +
        "       [--gate-warmup S] [--gate-duration S] [--warmup S] [--duration S] [--connections N]\n" +
        "       [--reuse recent|oldest] [--stall STOP_MS/PERIOD_MS]\n" +
        "       [--max-lag-ms MS] [--no-tuning] [--no-pin] [--jit] [--strict] [--quick] [--ci] [--out DIR]\n" +
        "       [--variants metering|tracing|all|mtls] [--variant NAME[:KEY=VALUE,...]]...\n" +
        "  ab        the same sidecar under several environments, interleaved (--variants, default all; or --variant\n" +
        "            twice or more, the first the baseline; {otlp} in a value is a local OTLP/HTTP sink;\n" +
        "            ACGS_PERF_BINARY=PATH runs that variant on another sidecar build: a same-run A/B of two builds);\n" +
        "            --variants mtls: two sidecars per variant behind a local control plane, plaintext vs mTLS hop;\n" +
        "            --cert-ttl 20s there renews every certificate about every 10 s while loaded (rotation under load).\n" +
        "  --rates   efficiency only: each rate in turn (lowest first: RSS is read after each), then one table of all.\n" +
        "  --ci      the quick gate of .ci/run: 5 s warm-up, 3 rounds of 8 s per target (same lines as the full gate).\n" +
        "  --quick   smoke run: 1 round, 2 s warm-up, 3 s measured everywhere (numbers are not a gate).";

    /// <summary>Parses the command line; every error is reported at once.</summary>
    public static (PerfSettings? Settings, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args)
    {
        var s = new PerfSettings();
        var errors = new List<string>();
        var custom = new List<Ab.AbVariant>();
        string? preset = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next()
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                errors.Add($"{a}: a value is required");
                return "0";
            }

            double Number()
            {
                var text = Next();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v <= 0)
                {
                    errors.Add($"{a}: '{text}' is not a positive number");
                    return 1;
                }

                return v;
            }

            switch (a)
            {
                case "gate": s = s with { Mode = PerfMode.Gate }; break;
                case "compare": s = s with { Mode = PerfMode.Compare }; break;
                case "capacity": s = s with { Mode = PerfMode.Capacity }; break;
                case "efficiency": s = s with { Mode = PerfMode.Efficiency }; break;
                case "all": s = s with { Mode = PerfMode.All }; break;
                case "ab": s = s with { Mode = PerfMode.Ab }; break;
                case "--variants": preset = Next(); break;
                case "--variant":
                    if (Ab.AbVariants.Parse(Next(), errors) is { } variant)
                    {
                        custom.Add(variant);
                    }

                    break;
                case "--root": s = s with { Root = Next() }; break;
                case "--cert-ttl": s = s with { CertTtl = Next() }; break;
                case "--out": s = s with { OutputDirectory = Next() }; break;
                case "--rate": s = s with { Rate = Number() }; break;
                case "--rates": s = s with { Rates = ParseRates(Next(), errors) }; break;
                case "--rounds": s = s with { Rounds = (int)Number() }; break;
                case "--slice": s = s with { Slice = TimeSpan.FromSeconds(Number()) }; break;
                case "--connections": s = s with { Connections = (int)Number() }; break;
                case "--gate-warmup": s = s with { GateWarmUp = TimeSpan.FromSeconds(Number()) }; break;
                case "--gate-duration": s = s with { GateDuration = TimeSpan.FromSeconds(Number()) }; break;
                case "--warmup": s = s with { WarmUp = TimeSpan.FromSeconds(Number()) }; break;
                case "--duration": s = s with { Duration = TimeSpan.FromSeconds(Number()) }; break;
                case "--max-lag-ms": s = s with { MaxSchedulerLagP99 = TimeSpan.FromMilliseconds(Number()) }; break;
                case "--reuse":
                    var reuse = Next();
                    switch (reuse)
                    {
                        case "recent": s = s with { Reuse = ConnectionReuse.MostRecent }; break;
                        case "oldest": s = s with { Reuse = ConnectionReuse.Oldest }; break;
                        default: errors.Add($"--reuse: '{reuse}' is not recent or oldest"); break;
                    }

                    break;
                case "--stall":
                    var stall = Next().Split('/');
                    if (stall.Length == 2
                        && double.TryParse(stall[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var stopMs)
                        && double.TryParse(stall[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var periodMs)
                        && stopMs > 0 && periodMs > stopMs)
                    {
                        s = s with { StallStop = TimeSpan.FromMilliseconds(stopMs), StallPeriod = TimeSpan.FromMilliseconds(periodMs) };
                    }
                    else
                    {
                        errors.Add("--stall: expected STOP_MS/PERIOD_MS with 0 < STOP_MS < PERIOD_MS (e.g. 30/500)");
                    }

                    break;
                case "--no-tuning": s = s with { Tuned = false }; break;
                case "--no-pin": s = s with { Pin = false }; break;
                case "--jit": s = s with { Jit = true }; break;
                case "--strict": s = s with { Strict = true }; break;
                case "--ci":
                    s = s with
                    {
                        Ci = true,
                        Rounds = 3,
                        GateWarmUp = TimeSpan.FromSeconds(5),
                        GateDuration = TimeSpan.FromSeconds(8),
                        Slice = TimeSpan.FromSeconds(2),
                    };
                    break;
                case "--quick":
                    s = s with
                    {
                        Rounds = 1,
                        GateWarmUp = TimeSpan.FromSeconds(2),
                        GateDuration = TimeSpan.FromSeconds(3),
                        WarmUp = TimeSpan.FromSeconds(2),
                        Duration = TimeSpan.FromSeconds(3),
                    };
                    break;
                default: errors.Add($"unknown argument '{a}'"); break;
            }
        }

        if (s.StallStop > TimeSpan.Zero && s.Mode == PerfMode.Gate)
        {
            errors.Add("--stall: not with the gate (its verdict would mean nothing under injected stalls); use compare, capacity or efficiency");
        }

        if (s.Rates.Count > 0 && s.Mode != PerfMode.Efficiency)
        {
            errors.Add("--rates: only with efficiency (the other modes run at --rate)");
        }

        s = s with { Variants = ResolveVariants(s.Mode, preset, custom, errors) };
        if (s.CertTtl is not null && !s.Variants.Any(v => v.Hop is not null))
        {
            errors.Add("--cert-ttl: only with ab --variants mtls (the pair lab's control plane issues the certificates)");
        }

        if (!File.Exists(Path.Combine(s.Root, "Acgs.sln")))
        {
            errors.Add($"--root: {s.Root} is not the repository root (no Acgs.sln)");
        }

        return errors.Count == 0 ? (s, errors) : (null, errors);
    }

    private static List<double> ParseRates(string text, List<string> errors)
    {
        var rates = new List<double>();
        foreach (var part in text.Split(','))
        {
            if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0)
            {
                rates.Add(r);
            }
            else
            {
                errors.Add($"--rates: '{part}' is not a positive number (e.g. --rates 1000,6000)");
            }
        }

        return rates;
    }

    private static IReadOnlyList<Ab.AbVariant> ResolveVariants(PerfMode mode, string? preset, List<Ab.AbVariant> custom, List<string> errors)
    {
        if (mode != PerfMode.Ab)
        {
            if (preset is not null || custom.Count > 0)
            {
                errors.Add("--variants/--variant: only with ab");
            }

            return [];
        }

        if (preset is not null && custom.Count > 0)
        {
            errors.Add("ab: --variants and --variant exclude each other");
            return [];
        }

        if (custom.Count > 0)
        {
            return Ab.AbVariants.WithBaselines(custom, errors);
        }

        if (Ab.AbVariants.Preset(preset ?? "all") is { } set)
        {
            return set;
        }

        errors.Add($"--variants: '{preset}' is not {string.Join(", ", Ab.AbVariants.PresetNames)}");
        return [];
    }
}
