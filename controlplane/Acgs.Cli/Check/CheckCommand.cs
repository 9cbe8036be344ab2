// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;
using Acgs.Cli.Api;
using Acgs.Cli.Status;

namespace Acgs.Cli.Check;

/// <summary><c>acgsctl check</c>: pre-flight checks of a running mesh; exit code 1 when any fails.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context, ConnectionOptions connection)
    {
        var command = new Command("check", "pre-flight checks: control plane ready, store, clocks, trust anchors, audit chain, every sidecar converged, mesh health");
        command.SetAction((parse, cancellationToken) => CliAction.RunAsync(parse, context, connection, async (api, ct) =>
        {
            var state = await MeshState.FetchAsync(api, ct).ConfigureAwait(false);
            var failed = 0;
            foreach (var result in MeshChecks.Run(state, TimeProvider.System.GetUtcNow()))
            {
                failed += result.Level == CheckResult.FailLevel ? 1 : 0;
                await context.Out.WriteLineAsync(result.ToString()).ConfigureAwait(false);
            }

            await context.Out.WriteLineAsync(failed == 0 ? "all checks passed" : $"{failed} check(s) failed").ConfigureAwait(false);
            return failed == 0 ? CliApplication.Ok : CliApplication.Failed;
        }, cancellationToken));
        return command;
    }
}
