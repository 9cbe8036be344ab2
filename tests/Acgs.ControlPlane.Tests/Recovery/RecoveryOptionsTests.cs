// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.Recovery;
using Microsoft.Extensions.Configuration;

namespace Acgs.ControlPlane.Tests.Recovery;

public sealed class RecoveryOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void TryRead_Nothing_DesignDefaults()
    {
        Assert.True(RecoveryOptions.TryRead(Config(), out var options, out var errors));

        Assert.Empty(errors);
        Assert.True(options.Enabled);
        Assert.Equal(RecoveryTrigger.Critical, options.Trigger);
        Assert.Equal(RecoveryStrategy.Exponential, options.Strategy);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(2, options.Multiplier);
        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxDelay);
        Assert.Equal(100, options.DefaultPriority);
        Assert.Equal(256, options.HistorySize);
    }

    [Fact]
    public void TryRead_EverySetting_Read()
    {
        Assert.True(RecoveryOptions.TryRead(Config(
            ("ACGS_RECOVERY_ENABLED", "false"), ("ACGS_RECOVERY_TRIGGER", "Degraded"), ("ACGS_RECOVERY_STRATEGY", "linear"),
            ("ACGS_RECOVERY_MAX_ATTEMPTS", "7"), ("ACGS_RECOVERY_MULTIPLIER", "1.5"), ("ACGS_RECOVERY_INITIAL_DELAY_MS", "250"),
            ("ACGS_RECOVERY_MAX_DELAY_MS", "9000"), ("ACGS_RECOVERY_DEFAULT_PRIORITY", "40"), ("ACGS_RECOVERY_HISTORY", "10"),
            ("ACGS_RECOVERY_PRIORITIES", "audit-ledger=1, orders=50"), ("ACGS_RECOVERY_STRATEGIES", "audit-ledger=manual")), out var o, out var errors));

        Assert.Empty(errors);
        Assert.False(o.Enabled);
        Assert.Equal(RecoveryTrigger.Degraded, o.Trigger);
        Assert.Equal(RecoveryStrategy.Linear, o.Strategy);
        Assert.Equal(7, o.MaxAttempts);
        Assert.Equal(1.5, o.Multiplier);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(9), o.MaxDelay);
        Assert.Equal(10, o.HistorySize);
        Assert.Equal(1, o.PriorityFor("audit-ledger"));
        Assert.Equal(50, o.PriorityFor("orders"));
        Assert.Equal(40, o.PriorityFor("anything-else"));
        Assert.Equal(RecoveryStrategy.Manual, o.StrategyFor("audit-ledger"));
        Assert.Equal(RecoveryStrategy.Linear, o.StrategyFor("orders"));
    }

    [Fact]
    public void TryRead_ConfigFileKeys_UsedWhenNoVariable()
    {
        Assert.True(RecoveryOptions.TryRead(Config(("ControlPlane:Recovery:MaxAttempts", "3"), ("ControlPlane:Recovery:Strategy", "immediate")), out var o, out _));

        Assert.Equal(3, o.MaxAttempts);
        Assert.Equal(RecoveryStrategy.Immediate, o.Strategy);
    }

    [Fact]
    public void TryRead_ManyBadSettings_EveryErrorReportedAtOnce()
    {
        Assert.False(RecoveryOptions.TryRead(Config(
            ("ACGS_RECOVERY_ENABLED", "perhaps"), ("ACGS_RECOVERY_TRIGGER", "healthy"), ("ACGS_RECOVERY_STRATEGY", "random"),
            ("ACGS_RECOVERY_MAX_ATTEMPTS", "0"), ("ACGS_RECOVERY_MULTIPLIER", "0.5"), ("ACGS_RECOVERY_INITIAL_DELAY_MS", "-1"),
            ("ACGS_RECOVERY_MAX_DELAY_MS", "0"), ("ACGS_RECOVERY_DEFAULT_PRIORITY", "x"), ("ACGS_RECOVERY_HISTORY", "100000"),
            ("ACGS_RECOVERY_PRIORITIES", "Orders=1,b=-2,c=3,c=4,nope"), ("ACGS_RECOVERY_STRATEGIES", "a=sometimes")), out _, out var errors));

        Assert.Equal(14, errors.Count);
        foreach (var variable in new[]
        {
            "ACGS_RECOVERY_ENABLED: ", "ACGS_RECOVERY_TRIGGER: ", "ACGS_RECOVERY_STRATEGY: ", "ACGS_RECOVERY_MAX_ATTEMPTS: ", "ACGS_RECOVERY_MULTIPLIER: ",
            "ACGS_RECOVERY_INITIAL_DELAY_MS: ", "ACGS_RECOVERY_MAX_DELAY_MS: ", "ACGS_RECOVERY_DEFAULT_PRIORITY: ", "ACGS_RECOVERY_HISTORY: ",
        })
        {
            Assert.Contains(errors, e => e.StartsWith(variable, StringComparison.Ordinal));
        }

        const string Entry = "ACGS_RECOVERY_PRIORITIES: entries must be service=value with a service name of lowercase letters, digits, '-', '.', '_'";
        Assert.Contains(Entry + " (got 'Orders=1')", errors);
        Assert.Contains("ACGS_RECOVERY_PRIORITIES: the value for 'b' must be a whole number from 0 to 1000000 (got '-2')", errors);
        Assert.Contains("ACGS_RECOVERY_PRIORITIES: a service is listed twice (got 'c')", errors);
        Assert.Contains(Entry + " (got 'nope')", errors);
        Assert.Contains("ACGS_RECOVERY_STRATEGIES: the value for 'a' must be exponential, linear, immediate or manual (got 'sometimes')", errors);
        Assert.Contains("ACGS_RECOVERY_ENABLED: must be 1, 0, true, false, yes, no, on or off (got 'perhaps')", errors);
    }

    [Fact]
    public void TryRead_MaxDelayBelowInitial_Refused()
    {
        Assert.False(RecoveryOptions.TryRead(Config(("ACGS_RECOVERY_INITIAL_DELAY_MS", "5000"), ("ACGS_RECOVERY_MAX_DELAY_MS", "1000")), out _, out var errors));

        Assert.Equal("ACGS_RECOVERY_MAX_DELAY_MS: must not be below ACGS_RECOVERY_INITIAL_DELAY_MS (5000) (got '1000')", Assert.Single(errors));
    }

    [Fact]
    public void Build_InvalidRecoverySettings_HostRefusesListingEveryProblem()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Acgs.ControlPlane.Hosting.ControlPlaneApplication.Build([], configuration =>
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ACGS_CONTROL_PLANE_PORT"] = "0",
                ["ACGS_DATA_DIR"] = ControlPlaneHost.NewDataDirectory(),
                ["REDIS_URL"] = string.Empty,
                ["ACGS_RECOVERY_STRATEGY"] = "random",
                ["ACGS_RECOVERY_MAX_ATTEMPTS"] = "0",
            })));

        Assert.StartsWith("Invalid control-plane settings: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_RECOVERY_STRATEGY", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACGS_RECOVERY_MAX_ATTEMPTS", error.Message, StringComparison.Ordinal);
    }
}
