// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli.Check;

/// <summary>One line of <c>acgsctl check</c>: ok, warn (works, but look) or fail (exit code 1).</summary>
internal sealed record CheckResult(string Level, string Name, string Detail)
{
    public const string OkLevel = "ok";
    public const string WarnLevel = "warn";
    public const string FailLevel = "FAIL";

    public static CheckResult Ok(string name, string detail) => new(OkLevel, name, detail);

    public static CheckResult Warn(string name, string detail) => new(WarnLevel, name, detail);

    public static CheckResult Fail(string name, string detail) => new(FailLevel, name, detail);

    public override string ToString() => $"[{Level}]".PadRight(7) + Name.PadRight(22) + Detail;
}
