// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Perf.Convergence;

namespace Acgs.Perf.Tests.Convergence;

public sealed class ConvergenceGoalTests
{
    [Theory]
    [InlineData(1000, 0, 100.0)]
    [InlineData(100, 1, 100.0)]
    [InlineData(1000, 1, 100.0)]
    [InlineData(1000, 2, 100.0)]
    [InlineData(1001, 2, 250.0)]
    [InlineData(5000, 2, 250.0)]
    [InlineData(5000, 3, 250.0)]
    public void For_PointWithAGoal_ItsBound(int watchers, int replicas, double goal) => Assert.Equal(goal, ConvergenceGoal.For(watchers, replicas));

    [Theory]
    [InlineData(1001, 0)]
    [InlineData(5000, 1)]
    [InlineData(5001, 2)]
    [InlineData(10000, 2)]
    public void For_PointBeyondTheGoals_Null(int watchers, int replicas) => Assert.Null(ConvergenceGoal.For(watchers, replicas));

    [Fact]
    public void Line_FiveThousandOverTwoReplicas_JudgedAgainst250NotAgainst100()
    {
        Assert.Equal("goal p99 <= 250 ms (up to 5,000 watchers over two or more replicas): PASS", ConvergenceGoal.Line(180, 5000, 2));
        Assert.Equal("goal p99 <= 250 ms (up to 5,000 watchers over two or more replicas): FAIL", ConvergenceGoal.Line(251, 5000, 2));
        Assert.Equal("goal p99 <= 100 ms (up to 1,000 watchers): FAIL", ConvergenceGoal.Line(101, 1000, 1));
        Assert.Equal("goal p99 <= 100 ms (up to 1,000 watchers): FAIL", ConvergenceGoal.Line(120, 1000, 2));
    }

    [Fact]
    public void Line_NoGoal_SaysSoAndNamesTheGoals()
    {
        Assert.StartsWith("no goal at 10000 watchers over 2 replicas (goals:", ConvergenceGoal.Line(900, 10000, 2), StringComparison.Ordinal);
        Assert.StartsWith("no goal at 5000 watchers in-process", ConvergenceGoal.Line(900, 5000, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void ExitCode_OnlyAMissedGoalFails()
    {
        Assert.Equal(0, ConvergenceGoal.ExitCode(180, 5000, 2));
        Assert.Equal(1, ConvergenceGoal.ExitCode(251, 5000, 2));
        Assert.Equal(0, ConvergenceGoal.ExitCode(900, 10000, 2));
        Assert.Equal(1, ConvergenceGoal.ExitCode(100.5, 1000, 0));
        Assert.Equal(0, ConvergenceGoal.ExitCode(100, 1000, 0));
    }
}
