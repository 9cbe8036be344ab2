// Constitutional Hash: cdd01ef066bc6cf2

using System.Collections.Frozen;
using System.Globalization;
using Acgs.Core.Settings;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Recovery;

/// <summary>
/// Recovery-orchestrator settings (docs/control-plane.md). Each has an environment variable and a config-file key
/// (<c>ControlPlane:Recovery:...</c>); the variable wins. <see cref="TryRead"/> reports every problem at once.
/// </summary>
internal sealed record RecoveryOptions
{
    private const string Section = "ControlPlane:Recovery:";

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

    /// <summary>The config-file key of each variable (the variable wins).</summary>
    public static IReadOnlyList<(string Variable, string Key)> FileKeys { get; } =
    [
        ("ACGS_RECOVERY_ENABLED", Section + "Enabled"), ("ACGS_RECOVERY_TRIGGER", Section + "Trigger"),
        ("ACGS_RECOVERY_STRATEGY", Section + "Strategy"), ("ACGS_RECOVERY_MAX_ATTEMPTS", Section + "MaxAttempts"),
        ("ACGS_RECOVERY_MULTIPLIER", Section + "Multiplier"), ("ACGS_RECOVERY_INITIAL_DELAY_MS", Section + "InitialDelayMs"),
        ("ACGS_RECOVERY_MAX_DELAY_MS", Section + "MaxDelayMs"), ("ACGS_RECOVERY_DEFAULT_PRIORITY", Section + "DefaultPriority"),
        ("ACGS_RECOVERY_HISTORY", Section + "History"), ("ACGS_RECOVERY_PRIORITIES", Section + "Priorities"),
        ("ACGS_RECOVERY_STRATEGIES", Section + "Strategies"),
    ];

    /// <summary>Reads every setting from <paramref name="configuration"/>, reporting every problem at once.</summary>
    public static bool TryRead(IConfiguration configuration, out RecoveryOptions options, out IReadOnlyList<string> errors)
    {
        var settings = Hosting.ConfigurationSettings.Reader(configuration, FileKeys);
        options = Read(settings);
        errors = settings.Problems;
        return settings.IsValid;
    }

    /// <summary>Reads every setting through <paramref name="settings"/>, which collects the problems.</summary>
    public static RecoveryOptions Read(SettingsReader settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = new RecoveryOptions();
        var result = d with
        {
            Enabled = settings.Bool("ACGS_RECOVERY_ENABLED", d.Enabled),
            Trigger = settings.Enum("ACGS_RECOVERY_TRIGGER", d.Trigger),
            Strategy = settings.Parse<RecoveryStrategy>("ACGS_RECOVERY_STRATEGY", d.Strategy, RecoveryNames.TryParseStrategy, RecoveryNames.Strategies),
            MaxAttempts = settings.WholeNumber("ACGS_RECOVERY_MAX_ATTEMPTS", d.MaxAttempts, 1, 100),
            Multiplier = settings.Number("ACGS_RECOVERY_MULTIPLIER", d.Multiplier, 1, 10),
        };

        var before = settings.Problems.Count;
        result = result with
        {
            InitialDelay = settings.Milliseconds("ACGS_RECOVERY_INITIAL_DELAY_MS", d.InitialDelay, 0, 3_600_000),
            MaxDelay = settings.Milliseconds("ACGS_RECOVERY_MAX_DELAY_MS", d.MaxDelay, 1, 3_600_000),
        };
        if (settings.Problems.Count == before && result.InitialDelay > result.MaxDelay)
        {
            settings.Report("ACGS_RECOVERY_MAX_DELAY_MS", string.Create(CultureInfo.InvariantCulture,
                $"must not be below ACGS_RECOVERY_INITIAL_DELAY_MS ({result.InitialDelay.TotalMilliseconds})"), settings.Raw("ACGS_RECOVERY_MAX_DELAY_MS") ?? "60000");
        }

        result = result with
        {
            DefaultPriority = settings.WholeNumber("ACGS_RECOVERY_DEFAULT_PRIORITY", d.DefaultPriority, 0, MaxPriority),
            HistorySize = settings.WholeNumber("ACGS_RECOVERY_HISTORY", d.HistorySize, 1, 10_000),
        };
        if (settings.Raw("ACGS_RECOVERY_PRIORITIES") is { } priorities)
        {
            var map = ReadMap(priorities, "ACGS_RECOVERY_PRIORITIES", settings, (string text, out int value) =>
                int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= MaxPriority, $"a whole number from 0 to {MaxPriority}");
            result = result with { Priorities = map.ToFrozenDictionary(StringComparer.Ordinal) };
        }

        if (settings.Raw("ACGS_RECOVERY_STRATEGIES") is { } strategies)
        {
            var map = ReadMap<RecoveryStrategy>(strategies, "ACGS_RECOVERY_STRATEGIES", settings, RecoveryNames.TryParseStrategy, RecoveryNames.Strategies);
            result = result with { Strategies = map.ToFrozenDictionary(StringComparer.Ordinal) };
        }

        return result;
    }

    /// <summary>The settings in one line (logged at start).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RecoveryOptions {{ Enabled = {Enabled}, Trigger = {Trigger}, Strategy = {RecoveryNames.Of(Strategy)}, MaxAttempts = {MaxAttempts}, Multiplier = {Multiplier}, InitialDelay = {InitialDelay.TotalMilliseconds} ms, MaxDelay = {MaxDelay.TotalMilliseconds} ms, DefaultPriority = {DefaultPriority}, Priorities = {Priorities.Count}, Strategies = {Strategies.Count}, History = {HistorySize} }}");

    private static Dictionary<string, T> ReadMap<T>(string text, string variable, SettingsReader settings, SettingsReader.Parser<T> parse, string expected)
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var service = equals < 0 ? entry : entry[..equals].Trim();
            var value = equals < 0 ? string.Empty : entry[(equals + 1)..].Trim();
            if (equals < 0 || !Discovery.Naming.IsName(service))
            {
                settings.Report(variable, "entries must be service=value with a service name of lowercase letters, digits, '-', '.', '_'", entry);
            }
            else if (!parse(value, out var parsed))
            {
                settings.Report(variable, $"the value for '{service}' must be {expected}", value);
            }
            else if (!map.TryAdd(service, parsed))
            {
                settings.Report(variable, "a service is listed twice", service);
            }
        }

        return map;
    }
}
