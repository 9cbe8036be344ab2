// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.ControlPlane.HealthAggregation;
using Acgs.ControlPlane.Leadership;
using Acgs.ControlPlane.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.ControlPlane.Hosting;

internal static partial class ControlPlaneApplication
{
    /// <summary>
    /// Replicas on Redis: a leader election (rollouts and recovery run on the leader; the others forward those calls) and
    /// the health reports replicated to every replica. The embedded store's single replica always leads.
    /// </summary>
    private static void AddLeadership(IServiceCollection services, ControlPlaneOptions options, LeadershipOptions leadership)
    {
        services.AddSingleton(leadership);
        services.AddSingleton(static sp => new LeaderMetrics(sp.GetRequiredService<ControlPlaneMetrics>().Registry));
        services.AddSingleton<LeaderForwarding>();
        if (options.Redis is null)
        {
            services.AddSingleton<ILeadership, SoleLeadership>();
            return;
        }

        services.AddSingleton<RedisLeaderElection>();
        services.AddSingleton<ILeadership>(static sp => sp.GetRequiredService<RedisLeaderElection>());
        services.AddHostedService(static sp => sp.GetRequiredService<RedisLeaderElection>());
        services.AddSingleton<HealthReplication>();
        services.AddHostedService(static sp => sp.GetRequiredService<HealthReplication>());
    }
}
