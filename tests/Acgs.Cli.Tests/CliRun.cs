// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Cli.Tests;

/// <summary>Runs acgsctl's entry point in process with captured streams.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static CliRun Invoke(string[] args, string stdin = "", IReadOnlyDictionary<string, string>? environment = null)
    {
        using var input = new StringReader(stdin);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApplication.Run(args, input, output, error, name => environment is not null && environment.TryGetValue(name, out var value) ? value : null);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
