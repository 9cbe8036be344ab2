// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Perf.Ab;

/// <summary>The variant sets of <c>--variants</c> and the parser of <c>--variant NAME[:K=V,...]</c>.</summary>
internal static class AbVariants
{
    /// <summary>The preset names <c>--variants</c> accepts.</summary>
    public static readonly string[] PresetNames = ["metering", "tracing", "accesslog", "all", "mtls", "direct"];

    private static readonly KeyValuePair<string, string>[] MeteringOff = [new("ACGS_METERING", "false")];

    /// <summary>The variants of a preset, or null for an unknown name.</summary>
    public static IReadOnlyList<AbVariant>? Preset(string name) => name switch
    {
        // Metering: the goal is at most +3 % CPU per request with metering on (the default).
        "metering" => [new("metering-off", MeteringOff, null, null), new("metering-on", [], "metering-off", 1.03)],
        // Tracing: off (no endpoint) against 1 % sampling (goal +5 %) and 100 % (measured).
        "tracing" => [new("tracing-off", [], null, null), Traced("tracing-1pct", "0.01", "tracing-off", 1.05), Traced("tracing-100pct", "1.0", "tracing-off", null)],
        // Access log: off against 1 % of requests written to a file, and every request (measured).
        "accesslog" => [new("accesslog-off", [], null, null), Logged("accesslog-1pct", "0.01", 1.03), Logged("accesslog-100pct", "1", null)],
        // Both in one run: metering off, the default (metering on, tracing off), and tracing on top of the default.
        "all" =>
        [
            new("metering-off", MeteringOff, null, null),
            new("default", [], "metering-off", 1.03),
            Traced("tracing-1pct", "0.01", "default", 1.05),
            Traced("tracing-100pct", "1.0", "default", null),
        ],
        // Mutual TLS between two sidecars: the same pair of sidecars with a plaintext hop against an mTLS hop; the goal is
        // at most +25 % CPU per request (both sidecars together) and +0.1 ms end-to-end p90 for the default hop
        // (ACGS_MTLS_HOP_PROTOCOL=auto: the load's HTTP/1.1 requests over the HTTP/1.1 warm pool, with its default
        // bound, overflow wait and open rate); measured beside it: every request over HTTP/2 by ALPN (h2, the default
        // before the per-request choice, and what h2 callers such as gRPC get). Not part of "all" (other lab).
        "mtls" =>
        [
            new("plaintext", [], null, null) { Hop = AbHop.Plaintext },
            new("mtls", [], "plaintext", 1.25) { Hop = AbHop.Mtls, P90GoalMs = 0.1 },
            new("mtls-h2", [new("ACGS_MTLS_HOP_PROTOCOL", "h2")], "plaintext", null) { Hop = AbHop.Mtls },
        ],
        // The sidecar's own HTTP/1.1 forwarding path (ACGS_DIRECT_FORWARD) against YARP's forwarder: the on-by-default
        // decision wants lower CPU and bytes per request than off in the same run, with no latency regression.
        "direct" => [new("direct-off", [new("ACGS_DIRECT_FORWARD", "off")], null, null), new("direct-on", [new("ACGS_DIRECT_FORWARD", "on")], "direct-off", null)],
        _ => null,
    };

    /// <summary>Parses <c>NAME</c> or <c>NAME:K=V,K=V</c>; the baseline is set by <see cref="WithBaselines"/>.</summary>
    public static AbVariant? Parse(string spec, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(errors);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? spec : spec[..colon];
        if (!IsName(name))
        {
            errors.Add($"--variant: '{spec}' needs a name of letters, digits, '-' or '_' before ':'");
            return null;
        }

        var env = new List<KeyValuePair<string, string>>();
        if (colon >= 0)
        {
            foreach (var pair in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    errors.Add($"--variant {name}: '{pair}' is not KEY=VALUE");
                    return null;
                }

                env.Add(new(pair[..eq], pair[(eq + 1)..]));
            }
        }

        return new AbVariant(name, env, null, null);
    }

    /// <summary>Custom variants: the first is the baseline of the others. Checks that names are unique and
    /// that at least two variants are given.</summary>
    public static IReadOnlyList<AbVariant> WithBaselines(IReadOnlyList<AbVariant> variants, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(errors);
        if (variants.Count < 2)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"ab: needs at least two variants (got {variants.Count})"));
            return variants;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<AbVariant>(variants.Count);
        for (var i = 0; i < variants.Count; i++)
        {
            if (!seen.Add(variants[i].Name))
            {
                errors.Add($"ab: variant '{variants[i].Name}' is named twice");
            }

            list.Add(i == 0 || variants[i].Baseline is not null ? variants[i] : variants[i] with { Baseline = variants[0].Name });
        }

        return list;
    }

    private static bool IsName(string name)
    {
        if (name.Length is 0 or > 32)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static AbVariant Logged(string name, string sample, double? goal) =>
        new(name,
            [
                new("ACGS_ACCESS_LOG", Path.Combine(Path.GetTempPath(), "acgs-ab-" + name + ".log")),
                new("ACGS_ACCESS_LOG_SAMPLE", sample),
                new("ACGS_ACCESS_LOG_FORMAT", "json"),
            ],
            "accesslog-off",
            goal);

    private static AbVariant Traced(string name, string ratio, string baseline, double? goal) =>
        new(name,
            [
                new("OTEL_EXPORTER_OTLP_ENDPOINT", AbVariant.OtlpPlaceholder),
                new("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                new("OTEL_TRACES_SAMPLER_ARG", ratio),
            ],
            baseline,
            goal);
}
