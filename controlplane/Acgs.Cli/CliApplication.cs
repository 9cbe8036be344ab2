// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using Acgs.Cli.Api;
using Acgs.Cli.Check;
using Acgs.Cli.Inject;
using Acgs.Cli.Operations;
using Acgs.Cli.Policy;
using Acgs.Cli.Status;

namespace Acgs.Cli;

/// <summary>The <c>acgsctl</c> entry point: parses the command line (System.CommandLine) and returns the process exit code.</summary>
internal static class CliApplication
{
    /// <summary>Exit code of success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code of a failed command: the control plane refused it, a check failed, malformed input, I/O error.</summary>
    public const int Failed = 1;

    /// <summary>Exit code of a usage error (unknown command or option, invalid settings).</summary>
    public const int Usage = 2;

    /// <summary>Exit code when the control plane did not answer.</summary>
    public const int Unreachable = 3;

    public const string ExitCodes = "Exit codes: 0 done, 1 refused by the control plane / a check failed / bad input, 2 usage error, 3 control plane unreachable.";

    public const string InjectDescription = """
        add the ACGS sidecar to the Pods and pod templates of a multi-document YAML file, offline, as the admission webhook would:
          acgsctl inject -f FILE [-o FILE] [--image IMAGE] [--control-plane-url URL]
        (-f '-' reads standard input; every other setting comes from the ACGS_INJECT_* variables, docs/kubernetes.md)
        """;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, Func<string, string?> environment) =>
        RunAsync(args, new CliContext(stdin, stdout, stderr, environment), CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);

        // inject keeps its own parser: it predates the others and its options (-o FILE, --control-plane-url for the pods) differ.
        if (args.Length > 0 && args[0] == "inject" && !(args.Length == 2 && args[1] is "--help" or "-h"))
        {
            return InjectCommand.Run(args[1..], context.In, context.Out, context.Error, context.Environment);
        }

        var root = Build(context);
        if (args.Length > 0 && args[0] != "help" && !args[0].StartsWith('-') && !root.Subcommands.Any(c => c.Name == args[0]))
        {
            await context.Error.WriteLineAsync("acgsctl: unknown command '" + args[0] + "'; run 'acgsctl --help' for usage.").ConfigureAwait(false);
            return Usage;
        }

        var parse = root.Parse(args.Length > 0 && args[0] == "help" ? ["--help", .. args[1..]] : args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync("acgsctl: " + error.Message).ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'acgsctl --help' for usage.").ConfigureAwait(false);
            return Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand Build(CliContext context)
    {
        var connection = new ConnectionOptions();
        var root = new RootCommand("acgsctl - the ACGS mesh command line. " + ExitCodes);
        var inject = new Command("inject", InjectDescription) { TreatUnmatchedTokensAsErrors = false };
        root.Add(inject);
        Command[] commands =
        [
            StatusCommand.Create(context, connection),
            CheckCommand.Create(context, connection),
            PolicyCommand.Create(context, connection),
            RolloutCommand.Create(context, connection),
            RecoveryCommand.Create(context, connection),
            ChaosCommand.Create(context, connection),
            Metering.MeteringCommand.Create(context, connection),
        ];
        foreach (var command in commands)
        {
            connection.AddTo(command);
            root.Add(command);
        }

        return root;
    }
}
