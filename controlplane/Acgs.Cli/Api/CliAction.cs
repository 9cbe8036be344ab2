// Constitutional Hash: cdd01ef066bc6cf2

using System.CommandLine;

namespace Acgs.Cli.Api;

/// <summary>Runs a command body against the control plane and maps the ways it can end to exit codes.</summary>
internal static class CliAction
{
    public static async Task<int> RunAsync(
        ParseResult parse,
        CliContext context,
        ConnectionOptions connection,
        Func<ControlPlaneApi, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(body);
        var (api, problems) = connection.Create(parse, context.Environment);
        if (api is null)
        {
            foreach (var problem in problems)
            {
                await context.Error.WriteLineAsync("acgsctl: " + problem).ConfigureAwait(false);
            }

            return CliApplication.Usage;
        }

        using (api)
        {
            try
            {
                return await body(api, cancellationToken).ConfigureAwait(false);
            }
            catch (ControlPlaneUnreachableException e)
            {
                await context.Error.WriteLineAsync("acgsctl: the control plane did not answer: " + e.Message).ConfigureAwait(false);
                return CliApplication.Unreachable;
            }
        }
    }

    /// <summary>Writes a failed call's problem to stderr and returns <see cref="CliApplication.Failed"/>.</summary>
    public static async Task<int> FailAsync(CliContext context, string what, ApiResponse response)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        var lines = response.ProblemLines();
        await context.Error.WriteLineAsync($"acgsctl: {what}: {lines[0]}").ConfigureAwait(false);
        for (var i = 1; i < lines.Count; i++)
        {
            await context.Error.WriteLineAsync(lines[i]).ConfigureAwait(false);
        }

        return CliApplication.Failed;
    }
}
