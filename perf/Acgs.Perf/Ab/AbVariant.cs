// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Perf.Ab;

/// <summary>One environment variant of the sidecar in <c>./acgs perf ab</c>: the same binary started with
/// <paramref name="Environment"/> added to its own settings. Its CPU per request is compared with the variant
/// named <paramref name="Baseline"/> (null: this variant is a baseline); <paramref name="Goal"/>, when set, is the
/// highest acceptable ratio (e.g. 1.03 for +3 %).</summary>
/// <param name="Name">Short name (letters, digits, '-', '_'); unique in a run.</param>
/// <param name="Environment">Variables added to the sidecar's environment; <c>{otlp}</c> in a value is replaced by
/// the address of this variant's OTLP sink.</param>
/// <param name="Baseline">The variant this one is compared with, or null.</param>
/// <param name="Goal">The highest acceptable CPU-per-request ratio to the baseline, or null (measured only).</param>
internal sealed record AbVariant(string Name, IReadOnlyList<KeyValuePair<string, string>> Environment, string? Baseline, double? Goal)
{
    /// <summary>The placeholder for the OTLP sink's base address in a variable's value.</summary>
    public const string OtlpPlaceholder = "{otlp}";

    /// <summary>Not passed to the sidecar: the path of the sidecar binary this variant runs instead of the
    /// run's (a same-run A/B of two builds, e.g. <c>--variant size:ACGS_PERF_BINARY=/tmp/size/Acgs.Sidecar</c>).</summary>
    public const string BinaryKey = "ACGS_PERF_BINARY";

    /// <summary>Null: one sidecar, loaded at its inbound port. Set: a pair (client sidecar → server sidecar → app, with
    /// workload identities from a local control plane) loaded at the client's outbound port, the hop between them
    /// plaintext or mutual TLS (Lab/PerfLab.Pairs.cs).</summary>
    public AbHop? Hop { get; init; }

    /// <summary>For a pair: the largest acceptable rise of the end-to-end p90 over the baseline's, in ms, or null.</summary>
    public double? P90GoalMs { get; init; }

    /// <summary>True when a value asks for an OTLP sink.</summary>
    public bool NeedsOtlpSink
    {
        get
        {
            foreach (var kv in Environment)
            {
                if (kv.Value.Contains(OtlpPlaceholder, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The environment with <c>{otlp}</c> replaced by <paramref name="sink"/> (without a trailing slash).</summary>
    public IReadOnlyDictionary<string, string> Resolve(Uri? sink)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in Environment)
        {
            env[kv.Key] = sink is null ? kv.Value : kv.Value.Replace(OtlpPlaceholder, sink.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);
        }

        return env;
    }

    /// <summary>The environment as <c>K=V K=V</c> (or "(none)") for reports.</summary>
    public string Describe() =>
        Environment.Count == 0 ? "(none)" : string.Join(' ', Environment.Select(kv => kv.Key + "=" + kv.Value));
}
