// Constitutional Hash: cdd01ef066bc6cf2

using System.Globalization;
using Acgs.Sidecar.HashEnforcement;
using Acgs.Sidecar.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Acgs.Sidecar.Admin;

/// <summary>
/// <c>GET /app-health/&lt;container&gt;/livez|readyz|startupz</c> on the admin port: the kubelet's rewritten HTTP probe.
/// The sidecar calls the app's original probe on 127.0.0.1 (its own uid is not redirected) within the probe's timeout and
/// answers with the app's status code (no body); 503 when the app cannot be reached in time; 404 for a path injection did
/// not register. Not a hot path: the kubelet probes every few seconds.
/// </summary>
internal static class AppHealthEndpoint
{
    /// <summary>Maps the endpoint on the admin listener.</summary>
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/app-health/{container}/{kind}", HandleAsync).WithMetadata(ListenerMetadata.Admin);
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var probes = context.RequestServices.GetRequiredService<AppHealthProbes>();
        if (!probes.Targets.TryGetValue(context.Request.Path.Value ?? string.Empty, out var target))
        {
            await ProblemResponse.WriteAsync(context, StatusCodes.Status404NotFound, "urn:acgs:app-probe-unknown", "Unknown app probe",
                "Injection registered no app probe at this path.").ConfigureAwait(false);
            return;
        }

        var client = context.RequestServices.GetRequiredService<AppHealthClient>().Client;
        var uri = new Uri("http://127.0.0.1:" + target.Port.ToString(CultureInfo.InvariantCulture) + target.Path);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        foreach (var header in target.Headers)
        {
            if (header.Name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = header.Value;
            }
            else
            {
                _ = request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(target.TimeoutSeconds));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }
}
