// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Cli.Inject;

namespace Acgs.Cli;

/// <summary>The <c>acgsctl</c> entry point: dispatches a sub-command and returns the process exit code.</summary>
internal static class CliApplication
{
    /// <summary>Exit code of success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code of a failed command (malformed input, unreadable or unwritable file).</summary>
    public const int Failed = 1;

    /// <summary>Exit code of a usage error (unknown command or option, invalid settings).</summary>
    public const int Usage = 2;

    public const string UsageText = """
        acgsctl - the ACGS mesh command line

        Usage:
          acgsctl inject -f FILE [-o FILE] [--image IMAGE] [--control-plane-url URL]
          acgsctl help

        inject   Adds the ACGS sidecar to the Pods and pod templates (Deployment, StatefulSet, DaemonSet,
                 ReplicaSet, Job, CronJob) of a multi-document YAML file, as the admission webhook would for
                 a namespace labelled acgs.io/inject=enabled: pods annotated acgs.io/inject: "false",
                 hostNetwork pods, pods in system namespaces and already-injected pods are left alone.
                 Other documents pass through unchanged. What was done to each object goes to stderr.
          -f, --filename FILE      input ('-' = standard input)
          -o, --output FILE        output (default: standard output)
          --image IMAGE            sidecar image (default $ACGS_INJECT_IMAGE or acgs/sidecar:0.1.0)
          --control-plane-url URL  control plane URL for the sidecars (default $ACGS_INJECT_CONTROL_PLANE_URL)
                 Every other setting comes from the ACGS_INJECT_* variables (docs/kubernetes.md).

        Exit codes: 0 done, 1 malformed input or I/O error, 2 usage error.
        """;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        if (args.Length == 0)
        {
            stderr.WriteLine(UsageText);
            return Usage;
        }

        switch (args[0])
        {
            case "inject":
                return InjectCommand.Run(args[1..], stdin, stdout, stderr, environment);
            case "help" or "--help" or "-h":
                stdout.WriteLine(UsageText);
                return Ok;
            default:
                stderr.WriteLine("acgsctl: unknown command '" + args[0] + "'");
                stderr.WriteLine(UsageText);
                return Usage;
        }
    }
}
