// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// Recovery-orchestrator settings (design section 6). Each has an environment variable and a config-file key
/// (<c>ControlPlane:Recovery:...</c>); the variable wins. <see cref="TryRead"/> reports every problem at once.
/// </summary>
internal sealed record RecoveryOptions
{
    /// <summary>Largest accepted priority.</summary>
    public const int MaxPriority = 1_000_000;

    /// <summary>False turns automatic queueing off (<c>ACGS_RECOVERY_ENABLED</c>); operators can still start tasks. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Which status change queues a task (<c>ACGS_RECOVERY_TRIGGER</c>: <c>critical</c> or <c>degraded</c>). Default critical.</summary>
    public RecoveryTrigger Trigger { get; init; } = RecoveryTrigger.Critical;

    /// <summary>Strategy of new tasks (<c>ACGS_RECOVERY_STRATEGY</c>). Default exponential.</summary>
    public RecoveryStrategy Strategy { get; init; } = RecoveryStrategy.Exponential;

    /// <summary>Attempts before a task fails, or waits for an operator under manual (<c>ACGS_RECOVERY_MAX_ATTEMPTS</c>, 1–100). Default 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Exponential growth factor (<c>ACGS_RECOVERY_MULTIPLIER</c>, 1–10). Default 2.</summary>
    public double Multiplier { get; init; } = 2;

    /// <summary>Wait before the first attempt and the step of the backoff (<c>ACGS_RECOVERY_INITIAL_DELAY_MS</c>, 0–3600000). Default 1 s.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts (<c>ACGS_RECOVERY_MAX_DELAY_MS</c>, 1–3600000, at least the initial delay). Default 60 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Priority of services without their own (<c>ACGS_RECOVERY_DEFAULT_PRIORITY</c>, 0–1000000; lower runs first). Default 100.</summary>
    public int DefaultPriority { get; init; } = 100;

    /// <summary>Per-service priorities (<c>ACGS_RECOVERY_PRIORITIES</c>: <c>audit-ledger=1,orders=50</c>).</summary>
    public FrozenDictionary<string, int> Priorities { get; init; } = FrozenDictionary<string, int>.Empty;

    /// <summary>Per-service strategies (<c>ACGS_RECOVERY_STRATEGIES</c>: <c>audit-ledger=manual,orders=linear</c>).</summary>
    public FrozenDictionary<string, RecoveryStrategy> Strategies { get; init; } = FrozenDictionary<string, RecoveryStrategy>.Empty;

    /// <summary>Finished tasks kept for <c>GET /api/v1/recovery/history</c> (<c>ACGS_RECOVERY_HISTORY</c>, 1–10000). Default 256.</summary>
    public int HistorySize { get; init; } = 256;

    /// <summary>The priority of <paramref name="service"/>'s tasks.</summary>
    public int PriorityFor(string service) => Priorities.TryGetValue(service, out var priority) ? priority : DefaultPriority;

    /// <summary>The strategy of <paramref name="service"/>'s tasks.</summary>
    public RecoveryStrategy StrategyFor(string service) => Strategies.TryGetValue(service, out var strategy) ? strategy : Strategy;

    /// <summary>Reads every setting, reporting every problem at once.</summary>
    public static bool TryRead(IConfiguration configuration, out RecoveryOptions options, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Get(string variable, string key)
        {
            var value = configuration[variable];
            value = string.IsNullOrWhiteSpace(value) ? configuration["ControlPlane:Recovery:" + key] : value;
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }

        var problems = new List<string>();
        var result = new RecoveryOptions();
        if (Get("ACGS_RECOVERY_ENABLED", "Enabled") is { } enabled)
        {
            if (bool.TryParse(enabled, out var on) || TryParseSwitch(enabled, out on))
            {
                result = result with { Enabled = on };
            }
            else
            {
                problems.Add("ACGS_RECOVERY_ENABLED must be true or false");
            }
        }

        if (Get("ACGS_RECOVERY_TRIGGER", "Trigger") is { } trigger)
        {
            switch (trigger.ToUpperInvariant())
            {
                case "CRITICAL":
                    result = result with { Trigger = RecoveryTrigger.Critical };
                    break;
                case "DEGRADED":
                    result = result with { Trigger = RecoveryTrigger.Degraded };
                    break;
                default:
                    problems.Add("ACGS_RECOVERY_TRIGGER must be critical or degraded");
                    break;
            }
        }

        if (Get("ACGS_RECOVERY_STRATEGY", "Strategy") is { } strategy)
        {
            if (RecoveryNames.TryParseStrategy(strategy, out var parsed))
            {
                result = result with { Strategy = parsed };
            }
            else
            {
                problems.Add("ACGS_RECOVERY_STRATEGY must be " + RecoveryNames.Strategies);
            }
        }

        if (ReadInt(Get("ACGS_RECOVERY_MAX_ATTEMPTS", "MaxAttempts"), 1, 100, "ACGS_RECOVERY_MAX_ATTEMPTS must be a whole number 1-100", problems) is { } attempts)
        {
            result = result with { MaxAttempts = attempts };
        }

        if (Get("ACGS_RECOVERY_MULTIPLIER", "Multiplier") is { } multiplier)
        {
            if (double.TryParse(multiplier, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && factor is >= 1 and <= 10)
            {
                result = result with { Multiplier = factor };
            }
            else
            {
                problems.Add("ACGS_RECOVERY_MULTIPLIER must be a number 1-10");
            }
        }

        var before = problems.Count;
        if (ReadInt(Get("ACGS_RECOVERY_INITIAL_DELAY_MS", "InitialDelayMs"), 0, 3_600_000, "ACGS_RECOVERY_INITIAL_DELAY_MS must be a number of milliseconds 0-3600000", problems) is { } initial)
        {
            result = result with { InitialDelay = TimeSpan.FromMilliseconds(initial) };
        }

        if (ReadInt(Get("ACGS_RECOVERY_MAX_DELAY_MS", "MaxDelayMs"), 1, 3_600_000, "ACGS_RECOVERY_MAX_DELAY_MS must be a number of milliseconds 1-3600000", problems) is { } max)
        {
            result = result with { MaxDelay = TimeSpan.FromMilliseconds(max) };
        }

        if (problems.Count == before && result.InitialDelay > result.MaxDelay)
        {
            problems.Add("ACGS_RECOVERY_MAX_DELAY_MS must not be below ACGS_RECOVERY_INITIAL_DELAY_MS");
        }

        if (ReadInt(Get("ACGS_RECOVERY_DEFAULT_PRIORITY", "DefaultPriority"), 0, MaxPriority, $"ACGS_RECOVERY_DEFAULT_PRIORITY must be a whole number 0-{MaxPriority}", problems) is { } priority)
        {
            result = result with { DefaultPriority = priority };
        }

        if (ReadInt(Get("ACGS_RECOVERY_HISTORY", "History"), 1, 10_000, "ACGS_RECOVERY_HISTORY must be a whole number 1-10000", problems) is { } history)
        {
            result = result with { HistorySize = history };
        }

        if (Get("ACGS_RECOVERY_PRIORITIES", "Priorities") is { } priorities)
        {
            var map = ReadMap(priorities, "ACGS_RECOVERY_PRIORITIES", problems, (string text, out int value) =>
                int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxPriority, $"a whole number 0-{MaxPriority}");
            result = result with { Priorities = map.ToFrozenDictionary(StringComparer.Ordinal) };
        }

        if (Get("ACGS_RECOVERY_STRATEGIES", "Strategies") is { } strategies)
        {
            var map = ReadMap<RecoveryStrategy>(strategies, "ACGS_RECOVERY_STRATEGIES", problems, RecoveryNames.TryParseStrategy, RecoveryNames.Strategies);
            result = result with { Strategies = map.ToFrozenDictionary(StringComparer.Ordinal) };
        }

        options = result;
        errors = problems;
        return problems.Count == 0;
    }

    /// <summary>The settings in one line (logged at start).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RecoveryOptions {{ Enabled = {Enabled}, Trigger = {Trigger}, Strategy = {RecoveryNames.Of(Strategy)}, MaxAttempts = {MaxAttempts}, Multiplier = {Multiplier}, InitialDelay = {InitialDelay.TotalMilliseconds} ms, MaxDelay = {MaxDelay.TotalMilliseconds} ms, DefaultPriority = {DefaultPriority}, Priorities = {Priorities.Count}, Strategies = {Strategies.Count}, History = {HistorySize} }}");

    private delegate bool Parser<T>(string text, out T value);

    private static bool TryParseSwitch(string text, out bool value)
    {
        value = text is "1" or "yes" or "on";
        return text is "1" or "0" or "yes" or "no" or "on" or "off";
    }

    private static int? ReadInt(string? text, int min, int max, string error, List<string> problems)
    {
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add(error);
        return null;
    }

    private static Dictionary<string, T> ReadMap<T>(string text, string variable, List<string> problems, Parser<T> parse, string expected)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var service = equals < 0 ? entry : entry[..equals].Trim();
            var value = equals < 0 ? string.Empty : entry[(equals + 1)..].Trim();
            if (equals < 0 || !Acgs.Contracts.Validation.ServiceName.IsValid(service))
            {
                problems.Add($"{variable}: '{entry}' must be service=value with a service name of lowercase letters, digits, '-', '.', '_'");
            }
            else if (!parse(value, out var parsed))
            {
                problems.Add($"{variable}: the value for '{service}' must be {expected}");
            }
            else if (!map.TryAdd(service, parsed))
            {
                problems.Add($"{variable}: '{service}' is listed twice");
            }
        }

        return map;
    }
}
