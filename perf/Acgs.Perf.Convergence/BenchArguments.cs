// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;

namespace Acgs.Perf.Convergence;

/// <summary>
/// The benchmark's command line, checked before anything starts: every problem is one line (an unknown option, a missing
/// or malformed value, a combination that cannot run), and the caller exits 2 with them. Typed reads with defaults after that.
/// </summary>
internal sealed class BenchArguments
{
    private static readonly string[] Positive = ["--watchers", "--activations", "--services", "--ack-connections", "--per-service", "--watcher-processes", "--storm", "--count"];
    private static readonly string[] NonNegative = ["--warmup", "--warmup-max", "--first", "--calls"];
    private static readonly string[] Lists = ["--curve", "--replicas"];
    private static readonly string[] Texts = ["--json", "--out", "--control-plane", "--redis-server", "--targets", "--full-work", "--replica-cpus", "--watcher-cpus"];
    private static readonly string[] Flags = ["--verbose", "--watcher-process"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private BenchArguments(string[] args) => Raw = args;

    /// <summary>The arguments as given.</summary>
    public string[] Raw { get; }

    /// <summary>Parses <paramref name="args"/>; <paramref name="problems"/> holds one line per problem (empty when it may run).</summary>
    public static BenchArguments Parse(string[] args, out List<string> problems)
    {
        problems = [];
        var parsed = new BenchArguments(args);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (Flags.Contains(name))
            {
                parsed._values[name] = "true";
                continue;
            }

            if (!Positive.Contains(name) && !NonNegative.Contains(name) && !Lists.Contains(name) && !Texts.Contains(name))
            {
                problems.Add(name.StartsWith("--", StringComparison.Ordinal) ? $"unknown option {name}" : $"unexpected argument '{name}'");
                continue;
            }

            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"{name} needs a value");
                continue;
            }

            var value = args[++i];
            parsed._values[name] = value;
            if (Positive.Contains(name) && !IsWhole(value, 1))
            {
                problems.Add($"{name} must be a whole number of at least 1, got '{value}'");
            }
            else if (NonNegative.Contains(name) && !IsWhole(value, 0))
            {
                problems.Add($"{name} must be a whole number of at least 0, got '{value}'");
            }
            else if (Lists.Contains(name) && (value.Split(',').Length == 0 || !value.Split(',').All(v => IsWhole(v, 1))))
            {
                problems.Add($"{name} must be a comma-separated list of whole numbers of at least 1, got '{value}'");
            }
            else if (name == "--full-work" && value != "all" && !IsWhole(value, 0))
            {
                problems.Add($"--full-work must be 'all' or a whole number of at least 0, got '{value}'");
            }
        }

        parsed.CheckCombinations(problems);
        return parsed;
    }

    /// <summary>Whether the option was given.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) && IsWhole(v, 0) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public IReadOnlyList<int> List(string name) =>
        _values.TryGetValue(name, out var v) ? [.. v.Split(',').Where(p => IsWhole(p, 1)).Select(p => int.Parse(p, CultureInfo.InvariantCulture))] : [];

    /// <summary>Replica counts to run; empty = the in-process control plane (embedded store).</summary>
    public IReadOnlyList<int> Replicas => List("--replicas");

    /// <summary>The multi-process mode (replicas as separate processes on a redis-server).</summary>
    public bool MultiProcess => Has("--replicas") || Has("--storm");

    private void CheckCombinations(List<string> problems)
    {
        if (Replicas.Any(r => r > 8))
        {
            problems.Add($"--replicas counts above 8 are not supported here (got {_values["--replicas"]})");
        }

        if (!Has("--curve") && Replicas.Count > 1)
        {
            problems.Add("--replicas names several counts, one point runs one (use --curve for several)");
        }

        if (Has("--storm") && Has("--curve") is false && Has("--watchers"))
        {
            problems.Add("--storm N sets the watchers of the storm; leave out --watchers");
        }

        if (Has("--storm") && !Has("--curve") && Replicas.Any(r => r != 1))
        {
            problems.Add("--storm runs on one replica (leave out --replicas)");
        }

        if (Has("--ack-connections") && MultiProcess)
        {
            problems.Add("--ack-connections applies to the in-process mode only (watcher processes hold one ACK pool per replica)");
        }

        CheckCalls(problems);
        CheckCpus(problems);
        if (Has("--watcher-process") && !(Has("--targets") && Has("--count")))
        {
            problems.Add("--watcher-process needs --targets and --count");
        }
    }

    /// <summary><c>--calls K</c>: each service calls K others, so K must be below the services of every point; not for the storm.</summary>
    private void CheckCalls(List<string> problems)
    {
        var calls = Int("--calls", 0);
        if (!Has("--calls") || calls == 0 || !IsWhole(_values["--calls"], 0))
        {
            return;
        }

        if (Has("--storm") && !Has("--curve"))
        {
            problems.Add("--calls applies to convergence points, not to --storm");
        }
        else if (Has("--curve") && calls >= 10)
        {
            problems.Add($"--calls must be below 10 with --curve (a point has at least 10 services), got {calls}");
        }
        else if (!Has("--curve") && calls >= Int("--services", 10))
        {
            problems.Add($"--calls must be below --services (each service calls that many others), got {calls} with {Int("--services", 10)} services");
        }
    }

    /// <summary><c>--replica-cpus</c> / <c>--watcher-cpus</c>: CPU lists this process may run on, in the multi-process mode, with taskset.</summary>
    private void CheckCpus(List<string> problems)
    {
        IReadOnlyList<int>? allowed = null;
        var pinned = false;
        foreach (var name in (string[])["--replica-cpus", "--watcher-cpus"])
        {
            if (!_values.TryGetValue(name, out var text))
            {
                continue;
            }

            pinned = true;
            if (!MultiProcess)
            {
                problems.Add($"{name} applies to the multi-process mode (--replicas or --storm): the in-process mode is one process");
            }
            else if (CpuList.Parse(text) is not { } cpus)
            {
                problems.Add($"{name} must be a CPU list such as 0-1 or 0,2, got '{text}'");
            }
            else
            {
                allowed ??= CpuList.Allowed();
                var outside = cpus.Where(cpu => !allowed.Contains(cpu)).ToList();
                if (outside.Count > 0)
                {
                    problems.Add($"{name} names CPU {CpuList.Format(outside)}, this process may run on {CpuList.Format(allowed)} only");
                }
            }
        }

        if (pinned && MultiProcess && CpuList.Taskset() is null)
        {
            problems.Add("--replica-cpus and --watcher-cpus need taskset (util-linux), which was not found");
        }
    }

    private static bool IsWhole(string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum;
}
