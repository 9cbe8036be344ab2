// Constitutional Hash: cdd01ef066bc6cf2

using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.AccessLog;

/// <summary>Registers the access log: its options always; the writer and its counters only while it is on.</summary>
internal static class AccessLogServiceCollectionExtensions
{
    /// <summary>Registers <paramref name="options"/> and, when the access log is on, its writer.</summary>
    public static IServiceCollection AddAcgsAccessLog(this IServiceCollection services, AccessLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        if (options.Enabled)
        {
            services.AddSingleton<AccessLogMetrics>();
            services.AddSingleton<AccessLogWriter>();
            services.AddHostedService(static services => services.GetRequiredService<AccessLogWriter>());
        }

        return services;
    }
}
