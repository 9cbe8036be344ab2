// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Sidecar.Bus;
using Acgs.Sidecar.Config;

namespace Acgs.Sidecar.Hosting;

/// <summary>The process entry: read config, refuse an invalid one with exit code 2, run until drained.</summary>
internal static class SidecarApp
{
    /// <summary>Exit code of an invalid configuration.</summary>
    public const int InvalidConfigExitCode = 2;

    /// <summary>Exit code of a fatal error while running (a listener that cannot bind, a background service that failed):
    /// never 0, so restart-on-failure supervisors restart the sidecar.</summary>
    public const int FatalExitCode = 1;

    private const string Usage = """
        acgs-sidecar — the ACGS mesh sidecar (YARP).

        Usage: Acgs.Sidecar [--config PATH] [--check-config] [--help]

          --config PATH    bootstrap config file (JSON; default: $ACGS_CONFIG, else the embedded default)
          --check-config   validate the configuration, print every error, exit 0 (valid) or 2 (invalid)
          --help           this text

        Environment: ACGS_CONFIG, ACGS_SERVICE_NAME, ACGS_NODE_ID, ACGS_APP_HOST, ACGS_APP_PORT,
        ACGS_INBOUND_ADDRESS/PORT, ACGS_INBOUND_ADVERTISE_ADDRESS, ACGS_OUTBOUND_ADDRESS/PORT,
        ACGS_ADMIN_ADDRESS/PORT, CONSTITUTIONAL_HASH, ACGS_HASH_MODE, ACGS_DRAIN_TIMEOUT_SECONDS,
        ACGS_CONFIG_POLL_SECONDS, ACGS_APP_PROBE_SECONDS, ACGS_CONTROL_PLANE_URL,
        ACGS_ORIGINAL_DST, ACGS_OUTBOUND_PASSTHROUGH, ACGS_OUTBOUND_TCP_PASSTHROUGH (transparent
        proxying, docs/transparent-proxy.md), ACGS_LOG_FORMAT, OTEL_EXPORTER_OTLP_ENDPOINT,
        OTEL_TRACES_SAMPLER(_ARG), OTEL_SERVICE_NAME (docs/observability.md).
        See docs/sidecar-config.md for all of them.
        """;

    /// <summary>Runs the sidecar; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        DescriptorLimit.RaiseSoftToHard(); // before the limits are sized from it (docs/limits.md)
        var result = BootstrapLoader.Load(args, SidecarEnvironment.Current());
        if (result.ShowHelp)
        {
            await Console.Out.WriteLineAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        if (result.Bootstrap is not { } bootstrap)
        {
            await PrintErrorsAsync(result.Errors).ConfigureAwait(false);
            return InvalidConfigExitCode;
        }

        if (result.CheckOnly)
        {
            await Console.Out.WriteLineAsync($"configuration is valid (snapshot '{bootstrap.Snapshot.Version}' from {bootstrap.Source})").ConfigureAwait(false);
            return 0;
        }

        var host = await SidecarHost.CreateAsync(bootstrap, builder => builder.UseAcgsBus(result.Bus!, result.BusRedis)).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            if (!host.InitialApply.Accepted)
            {
                await PrintErrorsAsync(host.InitialApply.Errors).ConfigureAwait(false);
                return InvalidConfigExitCode;
            }

            host.TrimAfterStart();
            try
            {
                await host.RunAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await Console.Error.WriteLineAsync("acgs-sidecar: fatal: " + OneLine(ex)).ConfigureAwait(false);
                return FatalExitCode;
            }

            if (host.FailedService() is { } failed)
            {
                await Console.Error.WriteLineAsync("acgs-sidecar: fatal: " + failed).ConfigureAwait(false);
                return FatalExitCode;
            }

            return 0;
        }
    }

    private static string OneLine(Exception ex) => (ex.GetType().Name + ": " + ex.Message).ReplaceLineEndings(" ");

    /// <summary>One line per problem, nothing else (docs/sidecar-config.md).</summary>
    private static async Task PrintErrorsAsync(IReadOnlyList<string> errors)
    {
        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync("acgs-sidecar: " + error).ConfigureAwait(false);
        }
    }
}
