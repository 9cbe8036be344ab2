// Constitutional Hash: cdd01ef066bc6cf2

namespace Acgs.Sidecar.Config;

/// <summary>The environment variables the sidecar reads (documented in docs/sidecar-config.md).</summary>
internal static class SidecarEnvironment
{
    public const string Config = "ACGS_CONFIG";
    public const string ServiceName = "ACGS_SERVICE_NAME";
    public const string NodeId = "ACGS_NODE_ID";
    public const string AppHost = "ACGS_APP_HOST";
    public const string AppPort = "ACGS_APP_PORT";
    public const string InboundAddress = "ACGS_INBOUND_ADDRESS";
    public const string InboundPort = "ACGS_INBOUND_PORT";
    public const string OutboundAddress = "ACGS_OUTBOUND_ADDRESS";
    public const string OutboundPort = "ACGS_OUTBOUND_PORT";
    public const string AdminAddress = "ACGS_ADMIN_ADDRESS";
    public const string AdminPort = "ACGS_ADMIN_PORT";
    public const string DrainTimeoutSeconds = "ACGS_DRAIN_TIMEOUT_SECONDS";
    public const string ConfigPollSeconds = "ACGS_CONFIG_POLL_SECONDS";
    public const string AppProbeSeconds = "ACGS_APP_PROBE_SECONDS";
    public const string ConstitutionalHash = "CONSTITUTIONAL_HASH";
    public const string HashMode = "ACGS_HASH_MODE";
    public const string Namespace = "ACGS_NAMESPACE";
    public const string ClusterDomain = "ACGS_CLUSTER_DOMAIN";

    /// <summary>The current process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> Current()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }
}
