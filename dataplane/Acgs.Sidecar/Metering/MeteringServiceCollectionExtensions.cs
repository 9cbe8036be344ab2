// Constitutional Hash: cdd01ef066bc6cf2

using Acgs.Contracts.Metering;
using Acgs.Contracts.Serialization;
using Acgs.Core.Settings;
using Acgs.Sidecar.Bus;
using Acgs.Sidecar.ControlPlaneClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Acgs.Sidecar.Metering;

/// <summary>Registers metering: the recorder (always), the inbound metering while metering is on, and the shipper when the control-plane client is registered.</summary>
internal static class MeteringServiceCollectionExtensions
{
    /// <summary>Call after <c>AddAcgsControlPlaneClient</c>; throws listing every invalid setting.</summary>
    public static IServiceCollection AddAcgsMetering(this IServiceCollection services, Func<string, string?> getVariable)
    {
        var settings = new SettingsReader(getVariable);
        var options = MeteringOptions.Read(settings);
        if (!settings.IsValid)
        {
            throw new InvalidOperationException("Invalid metering settings: " + string.Join("; ", settings.Problems));
        }

        services.AddSingleton(options);
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<MeteringMetrics>();
        services.AddSingleton(static sp => new BusUsage(sp.GetRequiredService<UsageRecorder>()));
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton(static sp => new InboundMetering(sp.GetRequiredService<UsageRecorder>())); // the telemetry middleware's completion callback meters with it
        if (!HasControlPlaneClient(services))
        {
            return services;
        }

        services.AddSingleton(static sp => new MeteringBuffer(sp.GetRequiredService<MeteringOptions>().BufferWindows, sp.GetRequiredService<MeteringMetrics>()));
        services.AddHostedService(static sp =>
        {
            var connection = sp.GetRequiredService<ControlPlaneConnection>();
            if (sp.GetService<BusRouter>() is { } router)
            {
                router.Usage = sp.GetRequiredService<BusUsage>(); // bus messages are metered where they enter the mesh
            }

            return new MeteringShipper(sp.GetRequiredService<UsageRecorder>(), sp.GetRequiredService<MeteringBuffer>(),
                async (batch, cancellationToken) => (await connection.SendAsync(HttpMethod.Post, MeteringBatch.Path, batch, AcgsJsonContext.Default.MeteringBatch, cancellationToken).ConfigureAwait(false)).Accepted,
                sp.GetRequiredService<MeteringOptions>(), connection.Options.ServiceName, connection.Options.NodeId,
                connection.Time, sp.GetRequiredService<ILogger<MeteringShipper>>());
        });
        return services;
    }

    private static bool HasControlPlaneClient(IServiceCollection services)
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ControlPlaneConnection))
            {
                return true;
            }
        }

        return false;
    }
}
