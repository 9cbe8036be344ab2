// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.AspNetCore.Builder;

namespace Acgs.ControlPlane.Hosting;

/// <summary>The process entry: invalid settings end the process with one line per problem and exit code 2.</summary>
internal static partial class ControlPlaneApplication
{
    private const string ProgramName = "acgs-control-plane";

    /// <summary>Exit code of invalid settings (one line per problem on stderr).</summary>
    public const int InvalidSettingsExitCode = 2;

    /// <summary>Exit code of a fatal error while starting or running (a port that cannot be bound, a store that fails).</summary>
    public const int FatalExitCode = 1;

    /// <summary>
    /// The process entry: reads every setting; when any is invalid prints one line per problem to stderr and returns
    /// <see cref="InvalidSettingsExitCode"/> (also for an embedded store that fails its integrity check), else runs until
    /// stopped and returns 0 (<see cref="FatalExitCode"/> after a fatal error).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        WebApplication? app;
        IReadOnlyList<string> problems;
        try
        {
            _ = TryBuild(args, null, out app, out problems);
        }
        catch (FormatException e)
        {
            // The command-line configuration provider refuses a malformed argument.
            app = null;
            problems = ["command line: " + e.Message];
        }

        if (app is null)
        {
            foreach (var problem in problems)
            {
                await stderr.WriteLineAsync(ProgramName + ": " + problem).ConfigureAwait(false);
            }

            return InvalidSettingsExitCode;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                // The embedded store is loaded (and its integrity verified) before the host starts, so a tampered
                // state file is reported as one line, not as a failed host start with a stack trace.
                if (app.Services.GetService(typeof(Store.IPolicyStore)) is Store.EmbeddedPolicyStore embedded)
                {
                    await embedded.InitializeAsync(CancellationToken.None).ConfigureAwait(false);
                }

                await app.RunAsync().ConfigureAwait(false);
            }
            catch (Store.StoreIntegrityException e)
            {
                await stderr.WriteLineAsync(ProgramName + ": " + e.Message).ConfigureAwait(false);
                return InvalidSettingsExitCode;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await stderr.WriteLineAsync(ProgramName + ": fatal: " + (e.GetType().Name + ": " + e.Message).ReplaceLineEndings(" ")).ConfigureAwait(false);
                return FatalExitCode;
            }
        }

        return 0;
    }
}
